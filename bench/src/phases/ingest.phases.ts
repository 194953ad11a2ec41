import type { MosquittoServer } from '@hearthbeat/testing';
import type { BenchOptions } from '../cli/bench-options';
import type { BenchContext } from '../core/bench.context';
import { buildBenchFleet, fleetForLoad, type BenchFleet } from '../fleet/bench-fleet';
import { waterEpochFor } from '../fleet/load-payloads';
import { measureAlertLatency, type LatencyResult } from './latency.phase';
import {
  mosquittoPid,
  startBrokerHost,
  startPlatformHost,
  startReferenceMosquitto,
  startSubscriber,
  writeRegistry,
  type Host,
  type PlatformHost,
  type Subscriber,
} from './servers';
import { measureThroughput, throughputConfigFor, throughputFigures, type TargetName, type ThroughputRun, type ThroughputTarget } from './throughput.phase';

export interface IngestResults {
  runs: ThroughputRun[];
  latency?: LatencyResult;
  /** HB_TELEMETRY_STORE of the measured pipeline. */
  telemetryStoreInPipeline: string;
}

const TELEMETRY_FILTER = ['hb/v1/+/telemetry'];

interface Servers {
  mosquitto?: { server: MosquittoServer; sub: Subscriber };
  broker?: { host: Host; sub: Subscriber };
  platform?: PlatformHost;
}

async function startServers(ctx: BenchContext, fleet: BenchFleet, targets: TargetName[]): Promise<Servers> {
  const s: Servers = {};
  const registry = writeRegistry(ctx, 'ingest', fleet.file);
  if (targets.includes('mosquitto')) {
    const server = await startReferenceMosquitto();
    s.mosquitto = { server, sub: await startSubscriber(ctx, 'sink-mosquitto', { host: '127.0.0.1', port: server.port, clientId: 'bench-sink', filters: TELEMETRY_FILTER }) };
  }
  if (targets.includes('broker')) {
    const host = await startBrokerHost(ctx, registry);
    const sub = await startSubscriber(ctx, 'sink-broker', { host: '127.0.0.1', port: host.mqttPort, clientId: 'bench-sink', username: fleet.service.username, password: fleet.service.password, filters: TELEMETRY_FILTER });
    s.broker = { host, sub };
  }
  if (targets.includes('pipeline')) s.platform = await startPlatformHost(ctx, registry);
  return s;
}

async function stopServers(s: Servers): Promise<void> {
  await s.mosquitto?.sub.stop();
  await s.mosquitto?.server.stop();
  await s.broker?.sub.stop();
  await s.broker?.host.stop();
  await s.platform?.stop();
}

function targetOf(s: Servers, name: TargetName): ThroughputTarget {
  if (name === 'mosquitto' && s.mosquitto) {
    const { server, sub } = s.mosquitto;
    return { name, port: server.port, feed: sub.feed, pids: { mosquitto: mosquittoPid(server), sink: sub.feed.pid } };
  }
  if (name === 'broker' && s.broker) {
    const { host, sub } = s.broker;
    return { name, port: host.mqttPort, feed: sub.feed, pids: { broker: host.pid, sink: sub.feed.pid }, loopDelay: host.loopDelay };
  }
  if (name === 'pipeline' && s.platform) return { name, port: s.platform.mqttPort, feed: s.platform.feed, pids: { platform: s.platform.pid }, loopDelay: s.platform.loopDelay };
  throw new Error(`${name} is not running`);
}

/**
 * Throughput of mosquitto, the broker and the whole pipeline in interleaved rounds (so that a noisy
 * neighbour affects all three alike), then alert latency on the same platform at half the pipeline's
 * measured maximum. The three servers run side by side; only the one measured gets load.
 */
export async function runIngestPhases(ctx: BenchContext, opts: BenchOptions): Promise<IngestResults> {
  const targets: TargetName[] = opts.phases.has('throughput') ? ['mosquitto', 'broker', 'pipeline'] : ['pipeline'];
  const fleet = buildBenchFleet(fleetForLoad(opts.loadConnections));
  const cfg = throughputConfigFor(opts, waterEpochFor(Date.now()));
  const servers = await startServers(ctx, fleet, targets);
  try {
    const runs: ThroughputRun[] = [];
    // Each target's devices continue their message streams (reading time must only move forward).
    const next: Record<TargetName, number[]> = { mosquitto: [], broker: [], pipeline: [] };
    const rounds = opts.phases.has('throughput') ? opts.rounds : 1;
    for (let round = 1; round <= rounds; round++) {
      for (const name of targets) {
        ctx.log(`throughput: ${name}, round ${round}/${rounds}, ${opts.loadConnections} connections`);
        const run = await measureThroughput(ctx, targetOf(servers, name), fleet.load, cfg, round, next[name]);
        next[name] = run.nextIndex;
        const { nextIndex: _drop, ...kept } = run;
        runs.push(kept);
        ctx.log(`  ${name}: ${kept.msgsPerS} msg/s, lost ${kept.lost}, CPU ${JSON.stringify(kept.cpuPercent)}${kept.loopDelayMs ? `, event-loop delay p99 ${kept.loopDelayMs.p99} ms, max ${kept.loopDelayMs.max} ms` : ''}`);
      }
    }
    const out: IngestResults = { runs, telemetryStoreInPipeline: servers.platform?.telemetryStore ?? 'none' };
    if (opts.phases.has('latency') && servers.platform) {
      const background = throughputFigures(runs).pipelineMsgsPerS * opts.latencyLoad;
      ctx.log(`latency: ${opts.probes} smoke alarms under ${Math.round(background)} msg/s background load (${opts.latencyLoad} of the pipeline maximum)`);
      const lat = await measureAlertLatency(
        ctx,
        servers.platform,
        fleet.staff,
        fleet.load,
        fleet.smokeAlarms,
        cfg,
        { probes: opts.probes, probeEveryMs: opts.probeEveryMs, backgroundRatePerS: background, loadFraction: opts.latencyLoad, warmupMs: Math.min(3000, opts.warmupMs) },
        next.pipeline,
      );
      const { nextIndex: _drop, ...kept } = lat;
      out.latency = kept;
      ctx.log(`  ${kept.path}: p50 ${kept.p50Ms} ms, p95 ${kept.p95Ms} ms, p99 ${kept.p99Ms} ms (${kept.samples} alerts, ${kept.missing} missing); platform event-loop delay p99 ${kept.loopDelayMs.p99} ms, max ${kept.loopDelayMs.max} ms`);
    }
    return out;
  } finally {
    await stopServers(servers);
  }
}
