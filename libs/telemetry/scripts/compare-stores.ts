/**
 * Full-size store comparison (docs/telemetry.md, "Measurements"): a simulated month of a street goes
 * through the embedded store, through the influx store into victoria-metrics (the v2 write API with
 * the real client) and, serialized by the same code, into influxdb 1.6 (`/write`), whose InfluxQL
 * answers are compared with the embedded store's for every resident and elevator.
 *
 *   npm run build && npm run compare-stores -w @hearthbeat/telemetry
 *   HB_COMPARE_RESIDENTS=1200 HB_COMPARE_ELEVATORS=10 HB_COMPARE_DAYS=30   (defaults)
 *   HB_COMPARE_DIR=DIR   replay an existing simulator run instead of making one
 *
 * A plain Node program (compiled by tsconfig.scripts.json), not a Jest test: under Jest's module
 * sandbox the payload parser runs ten times slower, which matters for 7.5 million messages.
 * Needs the workspace built (the simulator's CLI, the libs' dist) and Debian's victoria-metrics and influxdb.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { startInfluxDb1, startVictoriaMetrics, tempDir } from '@hearthbeat/testing';
import { SqliteTelemetryStore } from '../src/embedded/sqlite-telemetry.store';
import { InfluxTelemetryStore } from '../src/influx/influx-telemetry.store';
import { InfluxQlClient } from '../src/influx/influxql.client';
import { InfluxQlTelemetryReader } from '../src/influx/influxql-telemetry.reader';
import { toLineProtocol } from '../src/points/line-protocol.serializer';
import { MessagePointsMapper } from '../src/points/message-points.mapper';
import { usageFromExport } from '../src/test-support/export-aggregates';
import { registryIds, replayMessageLog, siteTimeZone, type ReplayCounts } from '../src/test-support/message-log.replay';
import { localBuckets } from '../src/time/local-buckets';
import { DAY_MS, HOUR_MS, zoneClock } from '../src/time/zone-clock';

const env = (name: string, def: number) => Number(process.env[name] ?? def);
const RESIDENTS = env('HB_COMPARE_RESIDENTS', 1200);
const ELEVATORS = env('HB_COMPARE_ELEVATORS', 10);
const DAYS = env('HB_COMPARE_DAYS', 30);
const ROOT = repoRoot();
const out = (s: string) => process.stdout.write(`${s}\n`);
const secs = (t0: number) => (performance.now() - t0) / 1000;

function simulatorRun(): string {
  if (process.env.HB_COMPARE_DIR) return process.env.HB_COMPARE_DIR;
  const dir = path.join(tempDir('compare-sim'), 'run');
  const cli = path.join(ROOT, 'devices-sim/dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} missing: run npm run build first`);
  const t0 = performance.now();
  // A month that has passed: victoria-metrics refuses samples more than two days in the future.
  const start = new Date(Date.now() - (DAYS + 3) * 86_400_000).toISOString().slice(0, 10);
  execFileSync('node', [cli, '--residents', String(RESIDENTS), '--elevators', String(ELEVATORS), '--days', String(DAYS), '--batch', '4', '--seed', '7', '--start', start, '--out', dir], { stdio: 'inherit' });
  out(`simulator: ${secs(t0).toFixed(1)} s`);
  return dir;
}

async function main(): Promise<number> {
  const dir = simulatorRun();
  const timeZone = siteTimeZone(dir);
  const ids = registryIds(dir);
  const results: Record<string, unknown> = { residents: ids.residents.length, elevators: ids.elevators.length, days: DAYS, timeZone };
  const work = tempDir('compare-stores');
  const vm = await startVictoriaMetrics();
  const influx1 = await startInfluxDb1();
  await influx1.query('CREATE DATABASE hb');

  // Pass 0: parse only (the baseline the store passes include), and the data's time span.
  let counts: ReplayCounts = { lines: 0, messages: 0, rejected: 0, unknownDevice: 0 };
  let t0 = performance.now();
  let minTs = Infinity;
  let maxTs = 0;
  let points = 0;
  const probe = new MessagePointsMapper();
  for await (const m of replayMessageLog(dir, counts)) {
    minTs = Math.min(minTs, m.receivedAt);
    maxTs = Math.max(maxTs, m.receivedAt);
    points += probe.map(m.message, m.subject, m.receivedAt).length;
  }
  results.parse = { ...counts, points, seconds: secs(t0) };
  out(`parse: ${JSON.stringify(results.parse)}`);
  const NOW = maxTs + HOUR_MS;

  // Pass 1: the embedded store.
  const embedded = new SqliteTelemetryStore(path.join(work, 'embedded'), { now: () => NOW });
  counts = { lines: 0, messages: 0, rejected: 0, unknownDevice: 0 };
  t0 = performance.now();
  // A bulk replay produces faster than any store writes: wait for the store, as a backtest must
  // (record() itself never waits; beyond its bound it drops the oldest points, and counts them).
  for await (const m of replayMessageLog(dir, counts)) {
    embedded.record(m.message, m.subject, m.receivedAt);
    if (embedded.stats().buffered > 100_000) await embedded.flush();
  }
  await embedded.flush();
  results.embeddedBeforeVacuum = { seconds: secs(t0), fileMB: embedded.fileBytes() / 1e6 };
  embedded.compact();
  results.embedded = { seconds: secs(t0), stats: embedded.stats(), fileMB: embedded.fileBytes() / 1e6 };
  out(`embedded: ${JSON.stringify(results.embedded)}`);

  // Pass 2: the influx store into victoria-metrics (bulk replay: wait when the buffer is half full).
  const vmStore = new InfluxTelemetryStore({ url: vm.url, token: 'x', org: 'hearthbeat', bucket: 'telemetry' }, { now: () => NOW });
  t0 = performance.now();
  for await (const m of replayMessageLog(dir, { lines: 0, messages: 0, rejected: 0, unknownDevice: 0 })) {
    vmStore.record(m.message, m.subject, m.receivedAt);
    if (vmStore.stats().buffered > 100_000) await vmStore.flush();
  }
  await vmStore.flush();
  results.victoriaMetrics = { seconds: secs(t0), stats: vmStore.stats() };
  out(`victoria-metrics: ${JSON.stringify(results.victoriaMetrics)}`);
  await vm.forceFlush();

  // Pass 3: the same line protocol into influxdb 1.6 through /write.
  const mapper = new MessagePointsMapper();
  t0 = performance.now();
  let lines: string[] = [];
  let written = 0;
  for await (const m of replayMessageLog(dir, { lines: 0, messages: 0, rejected: 0, unknownDevice: 0 })) {
    for (const p of mapper.map(m.message, m.subject, m.receivedAt)) lines.push(toLineProtocol(p));
    if (lines.length >= 20_000) {
      await influx1.write('hb', lines);
      written += lines.length;
      lines = [];
    }
  }
  await influx1.write('hb', lines);
  written += lines.length;
  results.influxdb1 = { seconds: secs(t0), written };
  out(`influxdb 1.6: ${JSON.stringify(results.influxdb1)}`);

  // Comparison.
  const reader = new InfluxQlTelemetryReader(new InfluxQlClient({ url: influx1.url, token: '', database: 'hb' }, 60_000), 60_000, () => NOW);
  const zone = zoneClock(timeZone);
  const from = zone.dayStart(minTs);
  const to = zone.dayStart(maxTs) + DAY_MS;
  const mismatches: string[] = [];
  const timing = { embeddedMs: 0, influxMs: 0, queries: 0 };
  const both = async <T>(what: string, a: () => Promise<T>, b: () => Promise<T>) => {
    let t = performance.now();
    const x = await a();
    timing.embeddedMs += performance.now() - t;
    t = performance.now();
    const y = await b();
    timing.influxMs += performance.now() - t;
    timing.queries++;
    if (!isDeepStrictEqual(x, y)) mismatches.push(what);
    return x;
  };
  let totalL = 0;
  for (const [i, r] of ids.residents.entries()) {
    const q = { resident: r, from, to, timeZone, unit: 'day' as const };
    const days = await both(`water day ${r}`, () => embedded.waterUsage(q), () => reader.waterUsage(q));
    totalL += days.reduce((s, d) => s + d.usageL, 0);
    if (i % 12 === 0) await both(`water hour ${r}`, () => embedded.waterUsage({ ...q, unit: 'hour' }), () => reader.waterUsage({ ...q, unit: 'hour' }));
  }
  let trips = 0;
  for (const e of ids.elevators) {
    const q = { elevator: e, from, to, timeZone, unit: 'day' as const };
    const days = await both(`elevator day ${e}`, () => embedded.elevatorActivity(q), () => reader.elevatorActivity(q));
    trips += days.reduce((s, d) => s + d.trips, 0);
    await both(`elevator hour ${e}`, () => embedded.elevatorActivity({ ...q, unit: 'hour' }), () => reader.elevatorActivity({ ...q, unit: 'hour' }));
    await both(`elevator events ${e}`, () => embedded.elevatorEvents({ elevator: e, from, to }), () => reader.elevatorEvents({ elevator: e, from, to }));
    const st = { elevator: e, from: from + 10 * DAY_MS, to: from + 10 * DAY_MS + 2 * HOUR_MS };
    await both(`elevator states ${e}`, () => embedded.elevatorStates(st), () => reader.elevatorStates(st));
  }
  // victoria-metrics, read back with /api/v1/export and aggregated independently, for a sample.
  const buckets = localBuckets(zone, 'day', from, to);
  let vmMismatch = 0;
  const sample = ids.residents.filter((_, i) => i % 12 === 0);
  for (const r of sample) {
    const fromVm = usageFromExport(await vm.exportSeries(`{__name__="water_totalL",resident="${r}"}`), buckets);
    const fromEmbedded = (await embedded.waterUsage({ resident: r, from, to, timeZone, unit: 'day' })).map((d) => ({ usageL: d.usageL, intervals: d.intervals }));
    if (!isDeepStrictEqual(fromVm, fromEmbedded)) vmMismatch++;
  }
  results.comparison = {
    queries: timing.queries,
    mismatches: mismatches.length,
    firstMismatches: mismatches.slice(0, 10),
    avgEmbeddedQueryMs: timing.embeddedMs / timing.queries,
    avgInfluxQlQueryMs: timing.influxMs / timing.queries,
    totalWaterL: Math.round(totalL),
    totalTrips: trips,
    victoriaMetricsSample: sample.length,
    victoriaMetricsMismatches: vmMismatch,
  };
  out(`comparison: ${JSON.stringify(results.comparison)}`);
  const file = path.join(ROOT, 'libs/telemetry/scripts/results/compare-stores.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  await vmStore.close();
  await embedded.close();
  await vm.stop();
  await influx1.stop();
  fs.rmSync(work, { recursive: true, force: true });
  if (!process.env.HB_COMPARE_DIR) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  out(mismatches.length === 0 && vmMismatch === 0 ? 'identical answers' : 'MISMATCHES');
  return mismatches.length === 0 && vmMismatch === 0 ? 0 : 1;
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

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
