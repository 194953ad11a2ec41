import * as fs from 'node:fs';
import { startInfluxDb1, tempDir, type InfluxDb1Server } from '@hearthbeat/testing';
import { SqliteTelemetryStore } from '../embedded/sqlite-telemetry.store';
import { toLineProtocol } from '../points/line-protocol.serializer';
import { MessagePointsMapper } from '../points/message-points.mapper';
import { DAY, HOUR, MIN, resident, water } from '../test-support/messages';
import { elevatorHistory, smokeHistory, syntheticFleet, waterHistory, type RecordedMessage } from '../test-support/synthetic-history';
import { InfluxQlClient } from './influxql.client';
import { InfluxQlTelemetryReader } from './influxql-telemetry.reader';

/**
 * The InfluxQL read path against a real InfluxDB (Debian's 1.6, v1 API): the points are written with
 * the store's own line-protocol serializer to `/write?db=`, and every answer must equal the embedded
 * store's for the same messages. 50 residents and 3 elevators for 7 days around the 9 March DST change
 * in New York; the full-size comparison is scripts/compare-stores.script.ts.
 */
describe('InfluxQlTelemetryReader on influxdb 1.6, compared with the embedded store', () => {
  const START = Date.parse('2025-03-04T16:00:00Z'); // 5 March, 00:00 in Asia/Shanghai
  const DAYS = 7;
  const NOW = START + DAYS * DAY + 2 * HOUR;
  const fleet = syntheticFleet(50, 3);
  let influx: InfluxDb1Server;
  let embedded: SqliteTelemetryStore;
  let reader: InfluxQlTelemetryReader;
  let client: InfluxQlClient;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('telemetry-influxql');
    influx = await startInfluxDb1();
    await influx.query('CREATE DATABASE hb');
    embedded = new SqliteTelemetryStore(dir, { now: () => NOW, flushIntervalMs: 60_000 });
    const mapper = new MessagePointsMapper();
    let lines: string[] = [];
    const take = async (m: RecordedMessage) => {
      embedded.record(m.message, m.subject, m.receivedAt);
      for (const p of mapper.map(m.message, m.subject, m.receivedAt)) lines.push(toLineProtocol(p));
      if (lines.length >= 10_000) {
        await influx.write('hb', lines);
        lines = [];
      }
    };
    for (const m of waterHistory(fleet, START, DAYS, 1)) await take(m);
    for (const m of elevatorHistory(fleet, START, DAYS, 1)) await take(m);
    for (const m of smokeHistory(fleet, START, DAYS)) await take(m);
    // A late reading between two stored ones, and a QoS 1 redelivery.
    const R = resident('R-0001');
    await take({ message: water('WM-0001', START + DAY + 7 * MIN, 1), subject: R, receivedAt: NOW });
    const first = waterHistory(fleet, START, 1, 1).next();
    if (!first.done) await take(first.value);
    await influx.write('hb', lines);
    await embedded.flush();
    client = new InfluxQlClient({ url: influx.url, token: '', database: 'hb' }, 10_000);
    reader = new InfluxQlTelemetryReader(client, 60_000, () => NOW);
  }, 120_000);

  afterAll(async () => {
    await embedded?.close();
    await influx?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const range = { from: START, to: START + DAYS * DAY };

  it('gives the same water use per local day, hour and quarter hour for every resident, register resets excluded', async () => {
    let nonZero = 0;
    for (const r of fleet.residents) {
      for (const unit of ['day', 'hour', 'quarter'] as const) {
        const q = { resident: r.id, ...range, timeZone: 'Asia/Shanghai', unit };
        const [a, b] = await Promise.all([embedded.waterUsage(q), reader.waterUsage(q)]);
        expect(b).toEqual(a);
        nonZero += a.filter((x) => x.usageL > 0).length;
      }
    }
    expect(nonZero).toBeGreaterThan(1000);
  });

  it('gives the same answers in a DST zone, over the 23-hour day', async () => {
    for (const r of fleet.residents.slice(0, 10)) {
      const q = { resident: r.id, ...range, timeZone: 'America/New_York', unit: 'day' as const };
      const [a, b] = await Promise.all([embedded.waterUsage(q), reader.waterUsage(q)]);
      expect(b).toEqual(a);
      expect(a.find((d) => d.label === '2025-03-09')?.end).toBe(Date.parse('2025-03-10T04:00:00Z'));
    }
  });

  it("agrees with InfluxQL's own tz() day grouping (Shanghai and New York)", async () => {
    for (const timeZone of ['Asia/Shanghai', 'America/New_York']) {
      const days = await reader.waterUsage({ resident: 'R-0003', ...range, timeZone, unit: 'day' });
      const first = days[0]?.start ?? 0;
      const end = days[days.length - 1]?.end ?? 0;
      const [series] = await client.query([
        `SELECT SUM(u) FROM (SELECT NON_NEGATIVE_DIFFERENCE(totalL) AS u FROM water WHERE resident = 'R-0003' AND time >= ${first - DAY}ms AND time < ${end}ms GROUP BY device) WHERE time >= ${first}ms AND time < ${end}ms GROUP BY time(1d) fill(0) tz('${timeZone}')`,
      ]);
      const byInflux = (series?.[0]?.values ?? []).map(([t, v]) => [t, Math.round(Number(v) * 1000) / 1000]);
      expect(byInflux).toEqual(days.map((d) => [d.start, d.usageL]));
    }
  });

  it('gives the same raw readings', async () => {
    const q = { resident: 'R-0001', from: START + DAY - HOUR, to: START + DAY + HOUR };
    const [a, b] = await Promise.all([embedded.waterReadings(q), reader.waterReadings(q)]);
    expect(a.map((r) => r.ts)).toContain(START + DAY + 7 * MIN);
    expect(b).toEqual(a);
    expect(await reader.waterReadings({ device: 'WM-0002', ...range, limit: 3 })).toEqual(await embedded.waterReadings({ device: 'WM-0002', ...range, limit: 3 }));
  });

  it('gives the same elevator trips, door cycles, faults, downtime and samples per day and hour, and the same events and states', async () => {
    // From the day before the lifts first reported: its buckets have no data (samples 0).
    const withBefore = { from: START - DAY, to: range.to };
    for (const e of fleet.elevators) {
      for (const unit of ['day', 'hour'] as const) {
        const q = { elevator: e.id, ...withBefore, timeZone: 'Asia/Shanghai', unit };
        const [a, b] = await Promise.all([embedded.elevatorActivity(q), reader.elevatorActivity(q)]);
        expect(b).toEqual(a);
        // Nothing before the first report; every hour and day after it has samples (reports every 30 s).
        expect(a.map((x) => x.samples > 0)).toEqual(a.map((x) => x.start >= START));
      }
      const all = await embedded.elevatorActivity({ elevator: e.id, ...withBefore, timeZone: 'Asia/Shanghai', unit: 'day' });
      expect(all[0]).toMatchObject({ label: '2025-03-04', samples: 0, trips: 0, downtimeMs: 0 });
      const days = all.slice(1);
      // Samples counted independently from the messages: one per state and per event of the terminal.
      const perDay = new Array<number>(DAYS).fill(0);
      for (const m of elevatorHistory(fleet, START, DAYS, 1)) {
        const ts = 'ts' in m.message.body ? m.message.body.ts : undefined;
        const i = ts === undefined ? -1 : Math.floor((ts - START) / DAY);
        if (m.subject.id === e.id && i >= 0 && i < DAYS) perDay[i] = (perDay[i] ?? 0) + 1;
      }
      expect(days.map((d) => d.samples)).toEqual(perDay);
      // Sanity of the synthetic history itself: busy days, an out-of-service hour a day, a silence on day 2.
      expect(days.every((d) => d.trips > 50 && d.doorCycles >= d.trips && Math.abs(d.downtime.out_of_service - HOUR) <= MIN)).toBe(true);
      const faults = days.reduce((n, d) => n + d.faults, 0);
      expect(faults).toBeGreaterThanOrEqual(DAYS - 2);
      expect(days[1]?.downtime.offline).toBeGreaterThanOrEqual(10 * MIN);
      const ev = { elevator: e.id, ...range };
      expect(await reader.elevatorEvents(ev)).toEqual(await embedded.elevatorEvents(ev));
      expect(await reader.elevatorEvents({ ...ev, faultsOnly: true })).toHaveLength(faults);
      const st = { elevator: e.id, from: START + 3 * HOUR, to: START + 5 * HOUR, limit: 500 };
      expect(await reader.elevatorStates(st)).toEqual(await embedded.elevatorStates(st));
    }
  });
});
