import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseRegistryFile, type RegistryFile } from '@hearthbeat/contracts';
import { runWindow } from '../cli/run-window';
import type { SimOptions } from '../cli/sim-options';
import { formatLocalDateTime } from '../core/zoned-time.util';
import { generateRegistry } from '../fleet/registry.generator';
import { buildFleet } from '../fleet/sim-fleet.builder';
import { fleetOptions, registryJson } from '../offline/offline.runner';
import { UsageError } from '../scenarios/scenario-spec.parser';
import { parseBrokerUrl } from './device.connection';
import { LiveFleet } from './live-fleet.runner';
import { ProgressReporter, type LiveCounters, type ProgressMode, type ProgressView } from './progress.reporter';

export interface LiveIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborting stops the run cleanly (Ctrl-C, SIGTERM, a test). */
  signal?: AbortSignal;
  /** Wall clock for the simulated start (default Date.now): live mode is the one place that reads it. */
  now?: () => number;
}

export interface LiveSummary {
  counters: LiveCounters;
  wallMs: number;
  simStart: number;
  simStop: number;
  final: string;
  /** Every device's secret as used, so that a caller can set up the broker's accounts. */
  registry: RegistryFile;
}

export async function loadRegistry(file: string): Promise<RegistryFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--registry ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = parseRegistryFile(json);
  if (!parsed.ok) throw new UsageError(`--registry ${file}: ${parsed.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return parsed.value;
}

/**
 * Live mode: every device of the fleet connects to the broker (clientId = username = device id,
 * password = secret, Will `{"online":false}` retained QoS 1 on its status topic) and publishes QoS 1 on the
 * simulated clock until `--duration` or the abort signal; then all disconnect and the counters are printed.
 */
export async function runLive(opts: SimOptions, io: LiveIo): Promise<LiveSummary> {
  const { start, end } = runWindow(opts, io.now ?? Date.now);
  const registry = opts.registry ? await loadRegistry(opts.registry) : generateRegistry(fleetOptions(opts));
  const fleet = buildFleet(registry, { seed: opts.seed, start, end, batch: opts.batch }, {
    scheduled: opts.scenarios,
    incidentRate: opts.incidentRate,
    elevatorIncidentRate: opts.elevatorIncidentRate,
    showcase: opts.showcase,
  });
  if (opts.registryOut) await writeFile(opts.registryOut, registryJson(fleet.registry));
  const secrets = new Map<string, string>();
  for (const d of registry.devices) if (d.secret !== undefined) secrets.set(d.id, d.secret);

  const live = new LiveFleet({
    address: parseBrokerUrl(opts.url, opts.insecure),
    devices: fleet.devices,
    secrets,
    keepaliveS: opts.keepaliveS,
    simStart: start,
    speed: opts.speed,
    concurrency: opts.concurrency,
    maxInflight: opts.maxInflight,
  });
  const mode: ProgressMode = opts.progress === 'auto' ? (io.stdout.isTTY ? 'tty' : 'plain') : opts.progress;
  const reporter = new ProgressReporter(io.stdout, mode, live.now);
  let phase: ProgressView['phase'] = 'connecting';
  const view = (): ProgressView => ({
    counters: live.counters,
    simTime: formatLocalDateTime(phase === 'connecting' ? start : live.simNow(), opts.site.timezone),
    lagMs: live.lagMs,
    phase,
  });
  const began = performance.now();
  reporter.start(view);
  await live.connectAll();
  let simStop = start;
  if (!io.signal?.aborted) {
    phase = 'running';
    live.start();
    await waitFor(opts.durationMs, io.signal);
    simStop = live.simNow();
  }
  phase = 'stopping';
  await live.stop(opts.killOnExit);
  phase = 'done';
  const wallMs = performance.now() - began;
  const final = reporter.finish(view(), wallMs);
  if (opts.truthOut) await writeFile(opts.truthOut, fleet.truth.sorted(simStop).map((t) => `${JSON.stringify(t)}\n`).join(''));
  return { counters: live.counters, wallMs, simStart: start, simStop, final, registry: fleet.registry };
}

function waitFor(ms: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    function done() {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}
