import * as fs from 'node:fs';
import { startVictoriaMetrics, tempDir, type VictoriaMetricsServer } from '@hearthbeat/testing';
import { SqliteTelemetryStore } from '../embedded/sqlite-telemetry.store';
import { openTelemetryStore } from '../open-telemetry-store';
import { DAY, HOUR } from '../test-support/messages';
import { countFromExport, usageFromExport } from '../test-support/export-aggregates';
import { elevatorHistory, syntheticFleet, waterHistory } from '../test-support/synthetic-history';
import { TelemetryConfigError } from '../telemetry.errors';
import { localBuckets } from '../time/local-buckets';
import { zoneClock } from '../time/zone-clock';
import { InfluxTelemetryStore } from './influx-telemetry.store';

/**
 * The influx store end to end on its write side: messages through `record`, the real client's
 * writeApi, victoria-metrics' v2 write API; read back with `/api/v1/export` and aggregated by a plain
 * independent implementation, which must match the embedded store fed the same messages.
 */
describe('InfluxTelemetryStore writing to victoria-metrics', () => {
  const START = Date.parse('2025-03-04T16:00:00Z');
  const DAYS = 3;
  const NOW = START + DAYS * DAY + HOUR;
  const fleet = syntheticFleet(20, 2);
  let vm: VictoriaMetricsServer;
  let dir: string;
  let influx: InfluxTelemetryStore;
  let embedded: SqliteTelemetryStore;

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    dir = tempDir('telemetry-vm');
    const store = openTelemetryStore({ kind: 'influx', dataDir: dir, influx: { url: vm.url, token: 'unused', org: 'hearthbeat', bucket: 'telemetry' } }, { now: () => NOW, flushIntervalMs: 100 });
    if (!(store instanceof InfluxTelemetryStore)) throw new Error('expected the influx store');
    influx = store;
    const e = openTelemetryStore({ kind: 'embedded', dataDir: dir }, { now: () => NOW, flushIntervalMs: 60_000 });
    if (!(e instanceof SqliteTelemetryStore)) throw new Error('expected the embedded store');
    embedded = e;
    for (const gen of [waterHistory(fleet, START, DAYS, 2), elevatorHistory(fleet, START, DAYS, 2)]) {
      for (const m of gen) {
        influx.record(m.message, m.subject, m.receivedAt);
        embedded.record(m.message, m.subject, m.receivedAt);
      }
    }
    await Promise.all([influx.flush(), embedded.flush()]);
    await vm.forceFlush();
  }, 60_000);

  afterAll(async () => {
    await influx?.close();
    await embedded?.close();
    await vm?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every point, with no drop and no retry', () => {
    const s = influx.stats();
    expect(s).toMatchObject({ kind: 'influx', buffered: 0, dropped: 0, rejected: 0, retries: 0 });
    expect(s.written).toBe(embedded.stats().written);
    expect(s.written).toBeGreaterThan(40_000);
  });

  it('exports, per resident and local day, the water use the embedded store answers', async () => {
    const zone = zoneClock('Asia/Shanghai');
    const buckets = localBuckets(zone, 'day', START, START + DAYS * DAY);
    for (const r of fleet.residents) {
      const series = await vm.exportSeries(`{__name__="water_totalL",resident="${r.id}"}`);
      const fromVm = usageFromExport(series, buckets);
      const fromEmbedded = await embedded.waterUsage({ resident: r.id, from: START, to: START + DAYS * DAY, timeZone: 'Asia/Shanghai', unit: 'day' });
      expect(fromVm).toEqual(fromEmbedded.map((d) => ({ usageL: d.usageL, intervals: d.intervals })));
    }
  });

  it('exports the derived elevator trips and door cycles, and the samples, the embedded store counts', async () => {
    const buckets = localBuckets(zoneClock('Asia/Shanghai'), 'day', START, START + DAYS * DAY);
    for (const e of fleet.elevators) {
      const days = await embedded.elevatorActivity({ elevator: e.id, from: START, to: START + DAYS * DAY, timeZone: 'Asia/Shanghai', unit: 'day' });
      expect(countFromExport(await vm.exportSeries(`{__name__="elevator_trip_toFloor",elevator="${e.id}"}`), buckets)).toEqual(days.map((d) => d.trips));
      expect(countFromExport(await vm.exportSeries(`{__name__="elevator_door_cycle_openMs",elevator="${e.id}"}`), buckets)).toEqual(days.map((d) => d.doorCycles));
      const states = countFromExport(await vm.exportSeries(`{__name__="elevator_state_floor",elevator="${e.id}"}`), buckets);
      const events = countFromExport(await vm.exportSeries(`{__name__="device_event_receivedAt",subject_type="elevator",subject="${e.id}"}`), buckets);
      expect(states.map((n, i) => n + (events[i] ?? 0))).toEqual(days.map((d) => d.samples));
      expect(Math.min(...events)).toBeGreaterThan(0);
    }
  });

  it('refuses influx without its settings', () => {
    expect(() => openTelemetryStore({ kind: 'influx', dataDir: dir })).toThrow(TelemetryConfigError);
  });
});
