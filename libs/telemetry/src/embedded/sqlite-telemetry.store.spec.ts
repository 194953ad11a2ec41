import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '@hearthbeat/testing';
import { DAY, elevatorEvent, elevatorState, elevatorSubject, HOUR, MIN, resident, SH_DAY, water } from '../test-support/messages';
import { TelemetryConfigError, TelemetryQueryError } from '../telemetry.errors';
import type { TelemetryStoreOptions } from '../telemetry-options';
import { SqliteTelemetryStore, TELEMETRY_FILE } from './sqlite-telemetry.store';
import { SCHEMA_VERSION } from './sqlite-telemetry.schema';

describe('SqliteTelemetryStore', () => {
  let dir: string;
  let store: SqliteTelemetryStore;
  let now = SH_DAY + 2 * DAY;
  const open = (o: TelemetryStoreOptions = {}) => new SqliteTelemetryStore(dir, { now: () => now, flushIntervalMs: 60_000, maxBatchPoints: 500, maxBufferedPoints: 10_000, ...o });

  beforeEach(() => {
    dir = tempDir('telemetry');
    now = SH_DAY + 2 * DAY;
    store = open();
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('water', () => {
    const R = resident('R-0001');
    beforeEach(async () => {
      const readings: Array<[number, number]> = [
        [SH_DAY - 15 * MIN, 100],
        [SH_DAY, 101.5], // 1.5 L for 23:45-00:00: counted on 1 March, the day the interval ends
        [SH_DAY + 30 * MIN, 104],
        [SH_DAY + 70 * MIN, 104],
        [SH_DAY + 5 * HOUR, 3], // register reset: never usage
        [SH_DAY + 5 * HOUR + 15 * MIN, 5.5],
        [SH_DAY + 23 * HOUR + 59 * MIN, 15.5],
        [SH_DAY + DAY, 16],
      ];
      for (const [ts, l] of readings) store.record(water('WM-0001', ts, l), R, ts + 1000);
      await store.flush();
      // Late, out of order: splits 00:00-00:30 (2.5 L) into 0.5 L and 2.0 L, same hour.
      store.record(water('WM-0001', SH_DAY + 15 * MIN, 102), R, now);
      // A QoS 1 redelivery changes nothing.
      store.record(water('WM-0001', SH_DAY + 30 * MIN, 104), R, now);
      await store.flush();
    });

    it('sums usage per local day by the end of each interval, without the register reset', async () => {
      const days = await store.waterUsage({ resident: 'R-0001', from: SH_DAY - HOUR, to: SH_DAY + DAY + 1, timeZone: 'Asia/Shanghai', unit: 'day' });
      expect(days.map((d) => [d.label, d.usageL, d.intervals])).toEqual([
        ['2025-02-28', 0, 0],
        ['2025-03-01', 16.5, 6],
        ['2025-03-02', 0.5, 1],
      ]);
    });

    it('sums usage per local hour, zeros included', async () => {
      const hours = await store.waterUsage({ resident: 'R-0001', from: SH_DAY, to: SH_DAY + 6 * HOUR, timeZone: 'Asia/Shanghai', unit: 'hour' });
      expect(hours.map((h) => [h.label, h.usageL, h.intervals])).toEqual([
        ['2025-03-01T00:00+08:00', 4, 3],
        ['2025-03-01T01:00+08:00', 0, 1],
        ['2025-03-01T02:00+08:00', 0, 0],
        ['2025-03-01T03:00+08:00', 0, 0],
        ['2025-03-01T04:00+08:00', 0, 0],
        ['2025-03-01T05:00+08:00', 2.5, 1],
      ]);
    });

    it('sums usage per local quarter hour from the raw readings, in step with the hourly rollups', async () => {
      const q = { resident: 'R-0001', from: SH_DAY, to: SH_DAY + 2 * HOUR, timeZone: 'Asia/Shanghai' };
      const quarters = await store.waterUsage({ ...q, unit: 'quarter' });
      expect(quarters.map((b) => [b.label, b.usageL, b.intervals])).toEqual([
        ['2025-03-01T00:00+08:00', 1.5, 1],
        ['2025-03-01T00:15+08:00', 0.5, 1],
        ['2025-03-01T00:30+08:00', 2, 1],
        ['2025-03-01T00:45+08:00', 0, 0],
        ['2025-03-01T01:00+08:00', 0, 1],
        ['2025-03-01T01:15+08:00', 0, 0],
        ['2025-03-01T01:30+08:00', 0, 0],
        ['2025-03-01T01:45+08:00', 0, 0],
      ]);
      const hours = await store.waterUsage({ ...q, unit: 'hour' });
      for (const [i, h] of hours.entries()) {
        const four = quarters.slice(4 * i, 4 * i + 4);
        expect([four.reduce((s, b) => s + b.usageL, 0), four.reduce((s, b) => s + b.intervals, 0)]).toEqual([h.usageL, h.intervals]);
      }
    });

    it('refuses quarter hours older than raw retention, naming the limit', async () => {
      now = SH_DAY + 40 * DAY;
      await expect(store.waterUsage({ resident: 'R-0001', from: SH_DAY, to: SH_DAY + HOUR, timeZone: 'Asia/Shanghai', unit: 'quarter' })).rejects.toThrow(
        new TelemetryQueryError('15-minute water use comes from raw readings, which are kept 35 days: the range starts before that'),
      );
    });

    it('returns raw readings by resident or device, in device-time order', async () => {
      const rows = await store.waterReadings({ resident: 'R-0001', from: SH_DAY, to: SH_DAY + HOUR });
      expect(rows).toEqual([
        { ts: SH_DAY, device: 'WM-0001', totalL: 101.5 },
        { ts: SH_DAY + 15 * MIN, device: 'WM-0001', totalL: 102 },
        { ts: SH_DAY + 30 * MIN, device: 'WM-0001', totalL: 104 },
      ]);
      expect(await store.waterReadings({ device: 'WM-0001', from: 0, to: SH_DAY, limit: 5 })).toHaveLength(1);
      expect(await store.waterReadings({ device: 'nope', from: 0, to: SH_DAY })).toEqual([]);
    });

    it('keeps everything across close and reopen', async () => {
      store.record(water('WM-0001', SH_DAY + DAY + HOUR, 20), R, now); // still buffered: close() writes it
      await store.close();
      store = open();
      const days = await store.waterUsage({ resident: 'R-0001', from: SH_DAY, to: SH_DAY + DAY + 1, timeZone: 'Asia/Shanghai', unit: 'day' });
      expect(days.map((d) => d.usageL)).toEqual([16.5, 4.5]);
      expect(store.stats()).toMatchObject({ kind: 'embedded', buffered: 0, dropped: 0 });
    });
  });

  it('uses the local days of a DST zone: 23 hours in March, 25 in November', async () => {
    const R = resident('R-0002');
    const spring = Date.parse('2025-03-09T05:00:00Z'); // local midnight, America/New_York
    const fall = Date.parse('2025-11-02T04:00:00Z');
    const q = (start: number) => store.waterUsage({ resident: 'R-0002', from: start + HOUR, to: start + 2 * HOUR, timeZone: 'America/New_York', unit: 'day' });
    for (const [start, hours] of [
      [spring, 23],
      [fall, 25],
    ] as const) {
      now = start + 3 * DAY;
      for (let k = -1; k <= 26; k++) store.record(water('WM-0002', start + k * HOUR, 1000 + k), R, start);
      await store.flush();
      expect((await q(start)).map((d) => [d.label, d.usageL])).toEqual([[start === spring ? '2025-03-09' : '2025-11-02', hours]]);
    }
  });

  it('answers from the rollups after raw retention, refuses readings older than it, and drops old rollups', async () => {
    await store.close();
    now = SH_DAY;
    store = open({ rawRetentionDays: 35, rollupRetentionDays: 38 });
    const R = resident('R-0003');
    for (let d = 0; d < 40; d++) {
      now = SH_DAY + d * DAY;
      for (let h = 0; h < 24; h++) store.record(water('WM-0003', now + h * HOUR, d * 240 + h * 10), R, now);
      await store.flush();
    }
    now = SH_DAY + 40 * DAY;
    store.prune();
    const raw = await store.waterReadings({ resident: 'R-0003', from: 0, to: now });
    // Day 5 onwards, plus the newest reading before the cutoff, kept as the anchor of the next interval.
    expect(raw[0]?.ts).toBe(SH_DAY + 4 * DAY + 23 * HOUR);
    expect(raw).toHaveLength(35 * 24 + 1);
    const days = await store.waterUsage({ resident: 'R-0003', from: SH_DAY, to: now, timeZone: 'Asia/Shanghai', unit: 'day' });
    // Rollup rows are UTC days: the cutoff (day 2, 00:00 local = 16:00 UTC) removed the UTC days before
    // it, so local day 0 is gone and day 1 keeps its last 16 hours; the others keep 24 x 10 L.
    expect(days.map((d) => d.usageL)).toEqual([0, 160, ...new Array<number>(38).fill(240)]);
    store.record(water('WM-0003', now - 36 * DAY, 5), R, now);
    await store.flush();
    expect(store.stats().tooOld).toBe(1);
  });

  it('counts elevator trips, door cycles, faults, downtime and samples per local hour and day', async () => {
    const E = elevatorSubject('EL-0001');
    const s = (t: number, patch: Parameters<typeof elevatorState>[2] = {}) => store.record(elevatorState('EL-0001', SH_DAY + t * 1000, patch), E, SH_DAY);
    s(0);
    s(10, { door: 'opening' });
    s(12, { door: 'open' });
    s(20); // door cycle
    s(22, { direction: 'up' });
    s(24, { direction: 'up', floor: 2, doorZone: false });
    s(26, { floor: 3 }); // trip 1 -> 3
    s(56, { floor: 3 });
    s(56, { floor: 3 }); // redelivered: one sample
    s(86, { floor: 3, mode: 'out_of_service' });
    s(116, { floor: 3, mode: 'out_of_service' });
    s(146, { floor: 3 }); // 60 s out of service
    s(300, { floor: 3 }); // 154 s of silence: offline
    store.record(elevatorEvent('EL-0001', SH_DAY + 301_000, 'door_lock_fault'), E, SH_DAY);
    store.record(elevatorEvent('EL-0001', SH_DAY + 301_000, 'door_lock_fault'), E, SH_DAY); // redelivered
    store.record(elevatorEvent('EL-0001', SH_DAY + 302_000, 'alarm_button', 3200), E, SH_DAY);
    s(3600, { floor: 3, power: 'off' });
    s(3630, { floor: 3 }); // 30 s without power; then silent until now
    now = SH_DAY + 2 * HOUR;
    await store.flush();
    const days = await store.elevatorActivity({ elevator: 'EL-0001', from: SH_DAY, to: SH_DAY + DAY, timeZone: 'Asia/Shanghai', unit: 'day' });
    expect(days).toEqual([
      {
        start: SH_DAY,
        end: SH_DAY + DAY,
        label: '2025-03-01',
        trips: 1,
        doorCycles: 1,
        faults: 1,
        // offline: the silences 00:02:26-00:05:00 and 00:05:00-01:00:00, then from the last sample
        // (01:00:30) until now (02:00), that silence being over the limit too
        downtime: { offline: 154_000 + 3_300_000 + 3_570_000, out_of_service: 60_000, maintenance: 0, power_off: 30_000 },
        downtimeMs: 7_114_000,
        // 14 states and 2 events (the redelivered state and fault not counted again)
        samples: 16,
      },
    ]);
    const hours = await store.elevatorActivity({ elevator: 'EL-0001', from: SH_DAY, to: SH_DAY + 3 * HOUR, timeZone: 'Asia/Shanghai', unit: 'hour' });
    expect(hours.map((h) => [h.trips, h.faults, h.downtimeMs, h.samples])).toEqual([
      [1, 1, 3_514_000, 14],
      [0, 0, 3_600_000, 2],
      // silent: offline downtime, and no data
      [0, 0, 0, 0],
    ]);
    // The day before the first sample: nothing known, no downtime, no data.
    const before = await store.elevatorActivity({ elevator: 'EL-0001', from: SH_DAY - DAY, to: SH_DAY, timeZone: 'Asia/Shanghai', unit: 'day' });
    expect(before.map((d) => [d.label, d.trips, d.downtimeMs, d.samples])).toEqual([['2025-02-28', 0, 0, 0]]);
    const events = await store.elevatorEvents({ elevator: 'EL-0001', from: SH_DAY, to: SH_DAY + DAY });
    expect(events).toEqual([
      { ts: SH_DAY + 301_000, device: 'EL-0001', event: 'door_lock_fault', fault: true },
      { ts: SH_DAY + 302_000, device: 'EL-0001', event: 'alarm_button', heldMs: 3200, fault: false },
    ]);
    expect(await store.elevatorEvents({ elevator: 'EL-0001', from: SH_DAY, to: SH_DAY + DAY, faultsOnly: true })).toHaveLength(1);
    const states = await store.elevatorStates({ elevator: 'EL-0001', from: SH_DAY + 20_000, to: SH_DAY + 27_000 });
    expect(states.map((r) => [r.floor, r.direction, r.door, r.doorZone])).toEqual([
      [1, 'stopped', 'closed', true],
      [1, 'up', 'closed', true],
      [2, 'up', 'closed', false],
      [3, 'stopped', 'closed', true],
    ]);
  });

  describe('a telemetry.sqlite of schema 1, written before elevator rollups counted samples', () => {
    // test-support/telemetry-schema-1.sql says how it was written and what the old store answered.
    const B = SH_DAY + 3 * DAY;
    const file = () => path.join(dir, TELEMETRY_FILE);
    const versionOf = () => {
      const db = new Database(file(), { readonly: true });
      try {
        return db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get()?.value;
      } finally {
        db.close();
      }
    };
    const days = () => store.elevatorActivity({ elevator: 'EL-0001', from: SH_DAY - DAY, to: B + DAY, timeZone: 'Asia/Shanghai', unit: 'day' });
    beforeEach(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const old = new Database(file());
      old.exec(fs.readFileSync(path.join(__dirname, '..', 'test-support', 'telemetry-schema-1.sql'), 'utf8'));
      old.close();
      now = B + 11 * HOUR;
    });

    it('opens, answers everything as before, and counts samples from the raw rows it still holds', async () => {
      expect(versionOf()).toBe('1');
      store = open({ rawRetentionDays: 2 });
      expect(await days()).toEqual(
        [
          ['2025-02-28', 0, 0, 0, 0, 0],
          // Raw states past retention: a lower bound, one sample per trip (each ends at a sample) and the
          // event; the terminal reported 10. Never 0 for a day with trips.
          ['2025-03-01', 2, 2, 1, 57_526_000, 3],
          ['2025-03-02', 0, 0, 0, 86_400_000, 0],
          ['2025-03-03', 0, 0, 0, 86_400_000, 0],
          // Within raw retention: exact, 9 states and the event.
          ['2025-03-04', 2, 2, 1, 39_526_000, 10],
        ].map(([label, trips, doorCycles, faults, offline, samples]) =>
          expect.objectContaining({ label, trips, doorCycles, faults, downtimeMs: offline, downtime: { offline, out_of_service: 0, maintenance: 0, power_off: 0 }, samples }),
        ),
      );
      const hour = await store.elevatorActivity({ elevator: 'EL-0001', from: B + 10 * HOUR, to: B + 11 * HOUR, timeZone: 'Asia/Shanghai', unit: 'hour' });
      expect(hour.map((h) => [h.label, h.trips, h.samples])).toEqual([['2025-03-04T10:00+08:00', 2, 10]]);
      const water = await store.waterUsage({ resident: 'R-0001', from: SH_DAY, to: B + DAY, timeZone: 'Asia/Shanghai', unit: 'day' });
      expect(water.map((d) => [d.usageL, d.intervals])).toEqual([
        [12.5, 1],
        [0, 0],
        [0, 0],
        [17.5, 1],
      ]);
      expect(await store.elevatorStates({ elevator: 'EL-0001', from: 0, to: now })).toHaveLength(9);
      await store.close();
      expect(versionOf()).toBe(String(SCHEMA_VERSION));
    });

    it('counts new samples on top, and is migrated once', async () => {
      store = open({ rawRetentionDays: 2 });
      const E = elevatorSubject('EL-0001');
      store.record(elevatorState('EL-0001', B + 10 * HOUR), E, now); // redelivered: already counted
      store.record(elevatorState('EL-0001', B + 10 * HOUR + 5 * MIN), E, now);
      store.record(elevatorEvent('EL-0001', B + 10 * HOUR + 6 * MIN, 'alarm_button', 2000), E, now);
      await store.close();
      store = open({ rawRetentionDays: 2 });
      expect((await days()).map((d) => d.samples)).toEqual([0, 3, 0, 0, 12]);
    });

    it('refuses a file of a newer schema, leaving it untouched', async () => {
      const db = new Database(file());
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
      db.close();
      expect(() => open()).toThrow(TelemetryConfigError);
      expect(versionOf()).toBe(String(SCHEMA_VERSION + 1));
      // afterEach closes `store`: give it one to close.
      fs.rmSync(dir, { recursive: true, force: true });
      store = open();
    });
  });

  it('queues without writing on the caller\'s stack, and drops the oldest points beyond the bound, counted exactly', async () => {
    await store.close();
    store = open({ maxBufferedPoints: 1_000, maxBatchPoints: 400 });
    const R = resident('R-0004');
    const t0 = performance.now();
    for (let i = 0; i < 3_000; i++) store.record(water('WM-0004', SH_DAY + i * MIN, i), R, SH_DAY);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(store.stats()).toMatchObject({ written: 0, buffered: 1_000, dropped: 2_000 });
    await store.flush();
    expect(store.stats()).toMatchObject({ written: 1_000, buffered: 0, dropped: 2_000 });
    expect((await store.waterReadings({ resident: 'R-0004', from: 0, to: SH_DAY + 3 * DAY }))[0]?.ts).toBe(SH_DAY + 2_000 * MIN);
  });

  it('writes a full batch soon after it fills, without waiting for the flush interval', async () => {
    const R = resident('R-0005');
    for (let i = 0; i < 500; i++) store.record(water('WM-0005', SH_DAY + i * MIN, i), R, SH_DAY);
    await new Promise((r) => setImmediate(r));
    expect(store.stats().written).toBe(500);
  });

  it('keeps quarter-hour rollups when asked, for zones such as Asia/Kolkata; hourly rollups answer them from raw readings, within raw retention', async () => {
    const R = resident('R-0006');
    const kolkataDay = Date.parse('2025-02-28T18:30:00Z');
    for (let k = 0; k <= 4; k++) store.record(water('WM-0006', kolkataDay - 30 * MIN + k * 15 * MIN, k), R, SH_DAY);
    await store.flush();
    const q = { resident: 'R-0006', from: kolkataDay, to: kolkataDay + 1, timeZone: 'Asia/Kolkata', unit: 'day' } as const;
    expect((await store.waterUsage(q)).map((d) => [d.label, d.usageL])).toEqual([['2025-03-01', 3]]);
    now = kolkataDay + 36 * DAY;
    await expect(store.waterUsage(q)).rejects.toThrow(TelemetryQueryError);
    now = SH_DAY + 2 * DAY;
    await store.close();
    expect(() => open({ rollupSlotMinutes: 15 })).toThrow(TelemetryConfigError);
    fs.rmSync(dir, { recursive: true, force: true });
    store = open({ rollupSlotMinutes: 15 });
    for (let k = 0; k <= 4; k++) store.record(water('WM-0006', kolkataDay - 30 * MIN + k * 15 * MIN, k), R, SH_DAY);
    await store.flush();
    const days = await store.waterUsage({ resident: 'R-0006', from: kolkataDay, to: kolkataDay + 1, timeZone: 'Asia/Kolkata', unit: 'day' });
    expect(days.map((d) => [d.label, d.usageL])).toEqual([['2025-03-01', 3]]);
  });
});
