/**
 * A year of a 1,200-resident street in the embedded store (docs/telemetry.md, "Measurements"): every
 * meter uploads hourly batches of four 15-minute readings with battery and signal, in time order,
 * with the store's clock following the data, so that retention and rollups behave as in service.
 * Reports write rate, file size (and per table), and query times.
 *
 *   npm run build && npm run measure-year -w @hearthbeat/telemetry
 *   HB_YEAR_RESIDENTS=1200 HB_YEAR_DAYS=365 (defaults)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { DeviceMessage } from '@hearthbeat/contracts';
import { tempDir } from '@hearthbeat/testing';
import { SqliteTelemetryStore } from '../src/embedded/sqlite-telemetry.store';
import type { TelemetrySubject } from '../src/points/telemetry-point';
import { seededRandom } from '@hearthbeat/testing';

const RESIDENTS = Number(process.env.HB_YEAR_RESIDENTS ?? 1200);
const DAYS = Number(process.env.HB_YEAR_DAYS ?? 365);
const START = Date.parse('2025-01-01T00:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = 'Asia/Shanghai';
const out = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  const dir = tempDir('measure-year');
  let now = START;
  const store = new SqliteTelemetryStore(dir, { now: () => now, flushIntervalMs: 3_600_000, pruneIntervalMs: DAY });
  const rnd = seededRandom(42);
  const totals = Array.from({ length: RESIDENTS }, () => Math.round(rnd() * 2_000_000) / 10);
  const subjects: TelemetrySubject[] = totals.map((_, i) => ({ type: 'resident', id: `R-${String(i + 1).padStart(4, '0')}`, site: 'jiangsu-road' }));
  const meters = subjects.map((_, i) => `WM-${String(i + 1).padStart(4, '0')}`);
  const t0 = performance.now();
  let messages = 0;
  let lastReport = t0;
  for (let h = 0; h < DAYS * 24; h++) {
    const hourStart = START + h * HOUR;
    const localHour = h % 24; // START is local midnight
    // Use around 7-9 h, 11-13 h and 18-21 h; a trickle otherwise; ~150 L a day.
    const busy = [7, 8, 11, 12, 18, 19, 20].includes(localHour) ? 0.7 : localHour >= 23 || localHour < 6 ? 0.03 : 0.2;
    for (let r = 0; r < RESIDENTS; r++) {
      const readings = [];
      for (let q = 1; q <= 4; q++) {
        if (rnd() < busy) totals[r] = Math.round(((totals[r] ?? 0) + rnd() * 12) * 10) / 10;
        readings.push({ ts: hourStart + q * 900_000, totalL: totals[r] ?? 0 });
      }
      const msg: DeviceMessage = { deviceId: meters[r] ?? '', kind: 'water_meter', channel: 'telemetry', body: { ts: hourStart + HOUR, readings, batteryPct: 90 - h / 2000, rssi: -85 } };
      store.record(msg, subjects[r] as TelemetrySubject, hourStart + HOUR + 1_000);
      messages++;
    }
    now = hourStart + HOUR + 2_000;
    await store.flush();
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      out(`  day ${Math.floor(h / 24)}: ${messages} messages, ${((messages * 5) / ((lastReport - t0) / 1000)).toFixed(0)} points/s, ${(store.fileBytes() / 1e6).toFixed(0)} MB`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const stats = store.stats();
  const liveBytes = store.fileBytes();
  // Query times: several residents, median of the runs.
  const end = START + DAYS * DAY;
  const time = async (fn: (resident: string) => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < 21; i++) {
      const id = subjects[(i * 57) % RESIDENTS]?.id ?? 'R-0001';
      const t = performance.now();
      await fn(id);
      ms.push(performance.now() - t);
    }
    return Number((ms.sort((a, b) => a - b)[10] ?? 0).toFixed(2));
  };
  const queries = {
    dailyYearMs: await time((r) => store.waterUsage({ resident: r, from: end - 365 * DAY, to: end, timeZone: TZ, unit: 'day' })),
    dailyMonthMs: await time((r) => store.waterUsage({ resident: r, from: end - 30 * DAY, to: end, timeZone: TZ, unit: 'day' })),
    hourlyWeekMs: await time((r) => store.waterUsage({ resident: r, from: end - 7 * DAY, to: end, timeZone: TZ, unit: 'hour' })),
    hourlyYearMs: await time((r) => store.waterUsage({ resident: r, from: end - 365 * DAY, to: end, timeZone: TZ, unit: 'hour' })),
    rawDayMs: await time((r) => store.waterReadings({ resident: r, from: end - DAY, to: end })),
    allResidentsDailyMonthMs: 0,
  };
  let t = performance.now();
  for (const s of subjects) await store.waterUsage({ resident: s.id, from: end - 30 * DAY, to: end, timeZone: TZ, unit: 'day' });
  queries.allResidentsDailyMonthMs = Number((performance.now() - t).toFixed(0));
  const sample = await store.waterUsage({ resident: 'R-0001', from: end - 3 * DAY, to: end, timeZone: TZ, unit: 'day' });
  t = performance.now();
  store.compact();
  const vacuumSeconds = (performance.now() - t) / 1000;
  const vacuumedBytes = store.fileBytes();
  const file = store.file;
  await store.close();
  const db = new Database(file, { readonly: true });
  let tables: Record<string, number> = {};
  try {
    tables = Object.fromEntries(db.prepare<[], { name: string; bytes: number }>('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all().map((r) => [r.name, Number((r.bytes / 1e6).toFixed(1))]));
  } catch {
    tables = { unavailable: 0 }; // SQLite built without the dbstat virtual table
  }
  const rows = Object.fromEntries(
    ['water_reading', 'water_rollup', 'device_health', 'series'].map((name) => [name, db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${name}`).get()?.n ?? 0]),
  );
  db.close();
  const results = {
    residents: RESIDENTS,
    days: DAYS,
    messages,
    points: stats.written,
    seconds: Number(seconds.toFixed(1)),
    pointsPerSecond: Math.round(stats.written / seconds),
    stats,
    liveMB: Number((liveBytes / 1e6).toFixed(1)),
    vacuumedMB: Number((vacuumedBytes / 1e6).toFixed(1)),
    vacuumSeconds: Number(vacuumSeconds.toFixed(1)),
    tablesMB: tables,
    rows,
    queries,
    sampleLastDays: sample.map((d) => [d.label, d.usageL, d.intervals]),
  };
  out(JSON.stringify(results, null, 2));
  const resultFile = path.join(repoRoot(), 'libs/telemetry/scripts/results/measure-year.json');
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.writeFileSync(resultFile, `${JSON.stringify(results, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
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
