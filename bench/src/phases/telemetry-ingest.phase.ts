import { startVictoriaMetrics, type VictoriaMetricsServer } from '@hearthbeat/testing';
import type { BenchOptions } from '../cli/bench-options';
import type { BenchContext } from '../core/bench.context';
import { median, round } from '../core/stats';
import { buildBenchFleet, fleetForLoad } from '../fleet/bench-fleet';
import { waterEpochFor } from '../fleet/load-payloads';
import type { TelemetryCounters } from '../hosts/host.protocol';
import { startPlatformHost, writeRegistry, type PlatformHost } from './servers';
import { measureThroughput, throughputConfigFor, type MeasuredName, type ThroughputRun } from './throughput.phase';

/** The three platforms measured, by HB_TELEMETRY_STORE: none, embedded (the default) and influx. */
const VARIANTS = [
  { name: 'pipeline-off', store: 'none' },
  { name: 'pipeline', store: 'embedded' },
  { name: 'pipeline-influx', store: 'influx' },
] as const satisfies readonly { name: MeasuredName; store: string }[];
type Variant = (typeof VARIANTS)[number]['store'];

export interface TelemetryIngestResult {
  runs: ThroughputRun[];
  /** Median msg/s the engine evaluated with each store. */
  msgsPerS: Record<Variant, number>;
  embeddedVsOff: number;
  influxVsOff: number;
  /** The store counters after the last round and a wait for the buffers to drain (`tooOld`: refused by raw retention). */
  counters: Record<Variant, Omit<TelemetryCounters, 'type'>>;
  /** Messages evaluated by each platform over the whole phase, warm-ups included. */
  evaluated: Record<Variant, number>;
  /** The InfluxDB stand-in the influx platform wrote to. */
  influxServer: string;
}

/**
 * Ingest rate with telemetry history off, on the embedded store and on InfluxDB (Debian's
 * victoria-metrics, which takes the InfluxDB v2 write API), as ratios against "off" measured in the
 * same run, in interleaved rounds. Three whole platforms (startPlatform) side by side; only the one
 * measured gets load. What the store costs shows up as a lower rate: `record` only queues, so a slow
 * store never blocks the engine, but its writes share the process's CPU.
 */
export async function measureTelemetryIngest(ctx: BenchContext, opts: BenchOptions): Promise<TelemetryIngestResult> {
  const fleet = buildBenchFleet(fleetForLoad(opts.loadConnections));
  const registry = writeRegistry(ctx, 'telemetry', fleet.file);
  // Within the embedded store's raw retention: readings it would refuse as too old cost it nothing.
  const cfg = throughputConfigFor(opts, waterEpochFor(Date.now(), 30));
  let vm: VictoriaMetricsServer | undefined;
  const hosts = new Map<Variant, PlatformHost>();
  try {
    vm = await startVictoriaMetrics();
    const influxEnv = { HB_INFLUX_URL: vm.url, HB_INFLUX_ORG: 'hearthbeat', HB_INFLUX_BUCKET: 'telemetry', HB_INFLUX_TOKEN: 'bench' };
    for (const v of VARIANTS) {
      hosts.set(v.store, await startPlatformHost(ctx, registry, { name: `platform-${v.store}`, env: { HB_TELEMETRY_STORE: v.store, ...(v.store === 'influx' ? influxEnv : {}) } }));
    }
    const runs: ThroughputRun[] = [];
    const next = new Map<Variant, number[]>();
    for (let r = 1; r <= opts.rounds; r++) {
      for (const v of VARIANTS) {
        const host = hosts.get(v.store) as PlatformHost;
        ctx.log(`telemetry: ${v.name} (HB_TELEMETRY_STORE=${v.store}), round ${r}/${opts.rounds}`);
        const target = { name: v.name, port: host.mqttPort, feed: host.feed, pids: { platform: host.pid }, loopDelay: host.loopDelay };
        const run = await measureThroughput(ctx, target, fleet.load, cfg, r, next.get(v.store) ?? []);
        next.set(v.store, run.nextIndex);
        const { nextIndex: _drop, ...kept } = run;
        runs.push(kept);
        ctx.log(`  ${v.name}: ${kept.msgsPerS} msg/s, lost ${kept.lost}`);
      }
    }
    const counters = {} as Record<Variant, Omit<TelemetryCounters, 'type'>>;
    const evaluated = {} as Record<Variant, number>;
    for (const v of VARIANTS) {
      const host = hosts.get(v.store) as PlatformHost;
      counters[v.store] = await drained(host);
      evaluated[v.store] = host.feed.count;
    }
    await vm.forceFlush();
    const rate = (name: MeasuredName) => median(runs.filter((x) => x.target === name).map((x) => x.msgsPerS));
    const msgsPerS = { none: rate('pipeline-off'), embedded: rate('pipeline'), influx: rate('pipeline-influx') };
    return {
      runs,
      msgsPerS,
      embeddedVsOff: round(msgsPerS.embedded / msgsPerS.none, 3),
      influxVsOff: round(msgsPerS.influx / msgsPerS.none, 3),
      counters,
      evaluated,
      influxServer: `victoria-metrics (Debian) at ${vm.url}, InfluxDB v2 write API`,
    };
  } finally {
    for (const h of hosts.values()) await h.stop();
    await vm?.stop();
  }
}

/** The store's counters once its buffer has drained (at most 60 s), so that drops and writes are final. */
async function drained(host: PlatformHost): Promise<Omit<TelemetryCounters, 'type'>> {
  const until = Date.now() + 60_000;
  let c = await host.telemetry();
  while (c.buffered > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    c = await host.telemetry();
  }
  const { type: _t, ...rest } = c;
  return rest;
}
