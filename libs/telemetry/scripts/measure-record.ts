/**
 * The hot-path cost (docs/telemetry.md, "Measurements"): how long `record()` takes per message in each
 * store, and how much memory a buffered point holds while InfluxDB is unreachable.
 *
 *   npm run build && npm run measure-record -w @hearthbeat/telemetry
 * (runs node with --expose-gc, so that heap figures are after a full collection)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceMessage } from '@hearthbeat/contracts';
import { freePort, tempDir } from '@hearthbeat/testing';
import { SqliteTelemetryStore } from '../src/embedded/sqlite-telemetry.store';
import { InfluxTelemetryStore } from '../src/influx/influx-telemetry.store';
import type { TelemetrySubject } from '../src/points/telemetry-point';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const N = 400_000;
const out = (s: string) => process.stdout.write(`${s}\n`);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function messages(): Array<{ m: DeviceMessage; s: TelemetrySubject }> {
  const elevator: TelemetrySubject = { type: 'elevator', id: 'EL-0001', site: 'jiangsu-road' };
  const resident: TelemetrySubject = { type: 'resident', id: 'R-0001', site: 'jiangsu-road' };
  return Array.from({ length: N }, (_, i) =>
    i % 4 === 0
      ? { m: { deviceId: 'WM-0001', kind: 'water_meter', channel: 'telemetry', body: { ts: T0 + i * 500, totalL: 1000 + i / 10, batteryPct: 88, rssi: -90 } }, s: resident }
      : {
          m: {
            deviceId: 'EL-0001',
            kind: 'elevator',
            channel: 'telemetry',
            body: { ts: T0 + i * 500, floor: i % 12, doorZone: i % 3 === 0, direction: i % 3 ? 'up' : 'stopped', door: 'closed', occupied: true, speedMps: 1.5, mode: 'normal', power: 'mains' },
          },
          s: elevator,
        },
  );
}

async function main(): Promise<void> {
  const msgs = messages();
  const now = () => T0 + N * 500;
  // InfluxDB unreachable: nothing leaves the buffer, so the heap growth is the buffer's.
  const port = await freePort();
  const influx = new InfluxTelemetryStore({ url: `http://127.0.0.1:${port}`, token: 'x', org: 'o', bucket: 'b' }, { now, retryMinDelayMs: 600_000, retryMaxDelayMs: 600_000 });
  gc();
  const before = process.memoryUsage().heapUsed;
  let t = process.hrtime.bigint();
  for (const { m, s } of msgs) influx.record(m, s, m.body.ts ?? 0);
  const influxNs = Number(process.hrtime.bigint() - t);
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  const is = influx.stats();
  await influx.close(0);
  const dir = tempDir('measure-record');
  const embedded = new SqliteTelemetryStore(dir, { now, flushIntervalMs: 3_600_000, maxBatchPoints: 5_000, maxBufferedPoints: 1_000_000 });
  t = process.hrtime.bigint();
  for (const { m, s } of msgs) embedded.record(m, s, m.body.ts ?? 0);
  const embeddedNs = Number(process.hrtime.bigint() - t);
  const points = embedded.stats().buffered;
  t = process.hrtime.bigint();
  await embedded.flush();
  const flushS = Number(process.hrtime.bigint() - t) / 1e9;
  const es = embedded.stats();
  await embedded.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const results = {
    messages: N,
    influx: { recordUsPerMessage: +(influxNs / N / 1000).toFixed(2), buffered: is.buffered, dropped: is.dropped, heapMB: +(heap / 1e6).toFixed(1), bytesPerBufferedPoint: Math.round(heap / is.buffered) },
    embedded: { recordUsPerMessage: +(embeddedNs / N / 1000).toFixed(2), points, written: es.written, writePointsPerSecond: Math.round(es.written / flushS) },
  };
  out(JSON.stringify(results, null, 2));
  const file = path.join(repoRoot(), 'libs/telemetry/scripts/results/measure-record.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}

function repoRoot(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'nx.json'))) {
    const up = path.dirname(d);
    if (up === d) throw new Error('repository root (nx.json) not found');
    d = up;
  }
  return d;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
