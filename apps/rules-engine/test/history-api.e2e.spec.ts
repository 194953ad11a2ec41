import { startVictoriaMetrics, waitFor, type VictoriaMetricsServer } from '@hearthbeat/testing';
import { field } from './support/api.client';
import { ELEVATOR_IDLE, startApiStack, type ApiStack } from './support/api.fixture';

const Q = 15 * 60_000;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown, k: string): number => Number(field(v, k));

/** Litres drawn in the quarter hour before each reading (the first reading has nothing before it). */
const USES = [0, 5, 0, 12.5, 3, 0, 0, 7, 1];

/** Two hours of WM-0001 readings on the quarter-hour grid, in one batch, and a lift's trip and fault. */
async function publishHistory(s: ApiStack, base: number): Promise<void> {
  const meter = await s.stack.device('WM-0001');
  let total = 100;
  const readings = USES.map((l, k) => ({ ts: base + k * Q, totalL: (total += l) }));
  await meter.publishAsync('hb/v1/WM-0001/telemetry', JSON.stringify({ ts: base + 8 * Q, seq: 1, readings, batteryPct: 80 }), { qos: 1 });
  const lift = await s.stack.device('EL-0001');
  const t0 = Date.now() - 60_000;
  const states = [
    { ...ELEVATOR_IDLE, door: 'closed', floor: 3 },
    { ...ELEVATOR_IDLE, door: 'closed', floor: 5, doorZone: false, direction: 'up', speedMps: 1.5 },
    { ...ELEVATOR_IDLE, door: 'open', floor: 7 },
    { ...ELEVATOR_IDLE, door: 'closed', floor: 7 },
  ];
  for (const [i, st] of states.entries()) await lift.publishAsync('hb/v1/EL-0001/telemetry', JSON.stringify({ ts: t0 + i * 5_000, seq: i + 1, ...st }), { qos: 1 });
  await lift.publishAsync('hb/v1/EL-0001/event', JSON.stringify({ ts: t0 + 30_000, seq: 10, event: 'safety_circuit' }), { qos: 1 });
}

describe('history API over real HTTP, fed by real MQTT through the embedded telemetry store', () => {
  let s: ApiStack;
  const base = Math.floor(Date.now() / Q) * Q - 8 * Q;
  const water = async (query: string, user: 'staff' | 'staffOther' = 'staff') => s.api.call('GET', `/api/residents/R-0001/history/water?${query}`, { token: await s.token(user) });

  beforeAll(async () => {
    s = await startApiStack();
    await publishHistory(s, base);
    // The store flushes every second: wait until the last reading and the fault are readable.
    await waitFor('history written', async () => {
      const w = await water(`from=${base}&to=${base + 9 * Q}&unit=quarter`);
      const sum = list(field(w.body, 'buckets')).reduce<number>((a, b) => a + num(b, 'usageL'), 0);
      const ev = await s.api.call('GET', '/api/elevators/EL-0001/history/events?faultsOnly=true', { token: await s.token('maintainer') });
      return sum === 28.5 && list(field(ev.body, 'events')).length === 1 ? true : undefined;
    });
  });
  afterAll(async () => s?.stop());

  it('answers water use per local quarter hour: usage of each interval at its end, "no data" apart from zero', async () => {
    const res = await water(`from=${base}&to=${base + 9 * Q}&unit=quarter`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resident: 'R-0001', site: 'jiangsu-road', timeZone: 'Asia/Shanghai', unit: 'quarter', from: base, to: base + 9 * Q, store: 'embedded' });
    const buckets = list(field(res.body, 'buckets'));
    expect(buckets.map((b) => num(b, 'start'))).toEqual(USES.map((_, k) => base + k * Q));
    // The first reading has no interval before it: no data, not zero use.
    expect(buckets.map((b) => [num(b, 'usageL'), num(b, 'intervals')])).toEqual(USES.map((l, k) => [l, k === 0 ? 0 : 1]));
    expect(String(field(buckets[0], 'label'))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d\+08:00$/);
  });

  it('sums the same litres per hour and per day, in the site zone or the one asked for', async () => {
    for (const unit of ['hour', 'day']) {
      const res = await water(`from=${base}&to=${base + 9 * Q}&unit=${unit}`);
      expect(list(field(res.body, 'buckets')).reduce<number>((a, b) => a + num(b, 'usageL'), 0)).toBe(28.5);
    }
    const ny = await water(`from=${base}&to=${base + 9 * Q}&unit=day&timeZone=America/New_York`);
    expect(field(ny.body, 'timeZone')).toBe('America/New_York');
    expect(String(field(list(field(ny.body, 'buckets'))[0], 'label'))).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('returns the raw readings, and defaults to 30 days by day when asked nothing', async () => {
    const res = await s.api.call('GET', `/api/residents/R-0001/history/readings?from=${base}&to=${base + 9 * Q}`, { token: await s.token('supervisor') });
    expect(list(field(res.body, 'readings')).map((r) => num(r, 'totalL'))).toEqual(USES.map((_, k) => 100 + USES.slice(0, k + 1).reduce((a, b) => a + b, 0)));
    const plain = await water('');
    expect(plain.status).toBe(200);
    expect(field(plain.body, 'unit')).toBe('day');
    expect(num(plain.body, 'to') - num(plain.body, 'from')).toBe(30 * 86_400_000);
  });

  it('refuses bad ranges and units naming the field, and other sites and roles', async () => {
    const cases: Array<[string, string]> = [
      [`from=${base}&to=${base}`, 'to'],
      [`from=0&to=${base}&unit=quarter`, 'from'],
      ['unit=week', 'unit'],
      ['timeZone=Asia/Nowhere', 'timeZone'],
      ['from=yesterday', 'from'],
      ['colour=red', 'colour'],
    ];
    for (const [query, name] of cases) {
      const res = await water(query);
      expect([query, res.status, field(res.body, 'error'), field(res.body, 'field')]).toEqual([query, 400, 'invalid_request', name]);
    }
    expect((await water('', 'staffOther')).status).toBe(403);
    const lift = await s.api.call('GET', '/api/elevators/EL-0001/history/activity', { token: await s.token('staff') });
    expect(lift.status).toBe(403);
    const nobody = await s.api.call('GET', '/api/residents/R-0404/history/water', { token: await s.token('staff') });
    expect([nobody.status, field(nobody.body, 'error')]).toEqual([404, 'resident_not_found']);
  });

  it('gives an elevator\'s trips, door cycles, faults, samples and availability per day, its fault history and its states', async () => {
    const token = await s.token('maintainer');
    const act = await s.api.call('GET', '/api/elevators/EL-0001/history/activity?unit=day', { token });
    expect(act.status).toBe(200);
    const days = list(field(act.body, 'buckets'));
    // The default 30 days back from now: the local days overlapping them, whole.
    expect(days.length).toBeGreaterThanOrEqual(30);
    expect(days.reduce<number>((a, b) => a + num(b, 'trips'), 0)).toBe(1);
    expect(days.reduce<number>((a, b) => a + num(b, 'doorCycles'), 0)).toBe(1);
    expect(days.reduce<number>((a, b) => a + num(b, 'faults'), 0)).toBe(1);
    // 4 states and the fault event, all in the last minute; the days before the lift first reported have
    // no data (samples 0), which is not "0 trips".
    expect(days.reduce<number>((a, b) => a + num(b, 'samples'), 0)).toBe(5);
    const heard = days.filter((b) => num(b, 'samples') > 0);
    expect(heard.length === 1 || heard.length === 2).toBe(true); // 2 across local midnight
    expect(days.slice(0, days.length - heard.length).every((b) => num(b, 'samples') === 0 && num(b, 'trips') === 0 && num(b, 'downtimeMs') === 0)).toBe(true);
    const availability = num(act.body, 'availability');
    expect(availability).toBeGreaterThan(0);
    expect(availability).toBeLessThanOrEqual(1);
    const ev = await s.api.call('GET', '/api/elevators/EL-0001/history/events?faultsOnly=true', { token });
    expect(list(field(ev.body, 'events')).map((e) => [field(e, 'event'), field(e, 'fault')])).toEqual([['safety_circuit', true]]);
    const st = await s.api.call('GET', '/api/elevators/EL-0001/history/states', { token });
    expect(list(field(st.body, 'states')).map((x) => num(x, 'floor'))).toEqual([3, 5, 7, 7]);
  });

  it('shows the learned routine while it is still learning', async () => {
    const res = await s.api.call('GET', '/api/residents/R-0001/routine', { token: await s.token('staff') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resident: 'R-0001', timeZone: 'Asia/Shanghai', enabled: true, status: 'learning', weekday: null, expecting: null });
    expect(list(field(res.body, 'profile'))).toHaveLength(96);
  });

  it('reports the store on /health and its counters on /metrics', async () => {
    const health = await s.api.call('GET', '/health', {});
    expect(field(health.body, 'telemetry')).toMatchObject({ store: 'embedded', dropped: 0 });
    const metrics = await s.api.call('GET', '/metrics', {});
    const written = /^hb_telemetry_points_written_total (\d+)$/m.exec(String(metrics.body));
    expect(Number(written?.[1])).toBeGreaterThanOrEqual(USES.length + 5);
  });
});

describe('history API with other stores', () => {
  it('answers 503 history_unavailable with HB_TELEMETRY_STORE=none, while alerts and the routine still work', async () => {
    const s = await startApiStack({ env: { HB_TELEMETRY_STORE: 'none' } });
    try {
      const token = await s.token('staff');
      const res = await s.api.call('GET', '/api/residents/R-0001/history/water', { token });
      expect([res.status, field(res.body, 'error')]).toEqual([503, 'history_unavailable']);
      expect((await s.api.call('GET', '/api/residents/R-0001/routine', { token })).status).toBe(200);
      expect(field((await s.api.call('GET', '/health', {})).body, 'telemetry')).toEqual({ store: 'none' });
    } finally {
      await s.stop();
    }
  });

  describe('HB_TELEMETRY_STORE=influx', () => {
    let vm: VictoriaMetricsServer;
    beforeAll(async () => {
      vm = await startVictoriaMetrics();
    });
    afterAll(async () => vm?.stop());

    it('writes what the engine admits through the v2 write API (victoria-metrics); a read the server cannot answer is 502', async () => {
      const s = await startApiStack({ env: { HB_TELEMETRY_STORE: 'influx', HB_INFLUX_URL: vm.url, HB_INFLUX_ORG: 'hb', HB_INFLUX_BUCKET: 'telemetry', HB_INFLUX_TOKEN: 't' } });
      try {
        const base = Math.floor(Date.now() / Q) * Q - 8 * Q;
        await publishHistory(s, base);
        await waitFor('points in victoria-metrics', async () => {
          await vm.forceFlush();
          const series = await vm.exportSeries('{__name__="water_totalL",resident="R-0001"}');
          return series.reduce((n, x) => n + x.values.length, 0) === USES.length ? true : undefined;
        });
        // victoria-metrics takes InfluxDB writes but has no InfluxQL: the read fails, by name.
        const res = await s.api.call('GET', '/api/residents/R-0001/history/water', { token: await s.token('staff') });
        expect([res.status, field(res.body, 'error')]).toEqual([502, 'history_store_failed']);
        expect(field((await s.api.call('GET', '/health', {})).body, 'telemetry')).toMatchObject({ store: 'influx', dropped: 0 });
      } finally {
        await s.stop();
      }
    });

    it('raises alerts as usual with the InfluxDB server down, and counts what it cannot write', async () => {
      const s = await startApiStack({ env: { HB_TELEMETRY_STORE: 'influx', HB_INFLUX_URL: 'http://127.0.0.1:9', HB_INFLUX_ORG: 'hb', HB_INFLUX_BUCKET: 'telemetry' } });
      try {
        const alarm = await s.stack.device('SA-0001');
        await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
        await waitFor('smoke alarm raised', () => s.stack.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm') ?? undefined);
        const health = await s.api.call('GET', '/health', {});
        expect(health.status).toBe(200);
        await waitFor('write failure recorded', async () => (field(field((await s.api.call('GET', '/health', {})).body, 'telemetry'), 'lastError') ? true : undefined));
      } finally {
        await s.stop();
      }
    });
  });
});
