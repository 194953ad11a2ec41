import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { BenchOptions } from './cli/bench-options';
import { createContext, type BenchContext } from './core/bench.context';
import { PressureWindow, raiseFdLimit } from './core/proc-stats';
import { round } from './core/stats';
import { BENCH_SCRYPT_COST } from './hosts/host.protocol';
import { measureConnections } from './phases/connections.phase';
import { measureEngineMemory } from './phases/engine-memory.phase';
import { runIngestPhases } from './phases/ingest.phases';
import { measureReplay } from './phases/replay.phase';
import { measureTelemetryIngest } from './phases/telemetry-ingest.phase';
import { throughputFigures } from './phases/throughput.phase';
import { summarizeProfileDir } from './profile/cpu-profile.summary';
import { RESULTS_SCHEMA, emptyFigures, type BenchResults, type MachineInfo } from './results/bench-results';
import { checkTargets } from './results/targets';

function mosquittoVersion(): string {
  try {
    const out = execFileSync('/usr/sbin/mosquitto', ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /mosquitto version \S+/.exec(out)?.[0] ?? 'mosquitto';
  } catch (err) {
    const out = String((err as { stdout?: unknown }).stdout ?? '');
    return /mosquitto version \S+/.exec(out)?.[0] ?? 'mosquitto (version unknown)';
  }
}

function machineInfo(fd: MachineInfo['fdLimit']): MachineInfo {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    mosquitto: mosquittoVersion(),
    loadAverageAtStart: os.loadavg().map((v) => round(v, 2)),
    fdLimit: fd,
    cpuPressurePercent: null,
  };
}

/** Runs the selected phases in order and assembles the results (figures, targets, details, notes). */
export async function runBench(opts: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const startedAt = new Date();
  const pressure = new PressureWindow();
  const fd = raiseFdLimit(opts.connections + 1000);
  const ctx: BenchContext = createContext({ resultsDir: opts.outDir, profile: opts.profile, log });
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    mode: opts.mode,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationS: 0,
    machine: machineInfo({ soft: fd.soft, hard: fd.hard, note: fd.note }),
    config: { ...opts, phases: [...opts.phases], scryptCost: BENCH_SCRYPT_COST },
    figures: emptyFigures(),
    targets: [],
    details: {},
    notes: [],
  };
  const f = results.figures;
  const notes = results.notes;
  notes.push(`Loopback only (127.0.0.0/8). Machine shared and noisy: every ratio compares figures of this run; throughput rounds are interleaved.`);
  try {
    if (opts.phases.has('throughput') || opts.phases.has('latency')) {
      const ingest = await runIngestPhases(ctx, opts);
      results.details.throughput = { runs: ingest.runs, telemetryStoreInPipeline: ingest.telemetryStoreInPipeline };
      if (opts.phases.has('throughput')) Object.assign(f, throughputFigures(ingest.runs));
      else f.pipelineMsgsPerS = throughputFigures(ingest.runs).pipelineMsgsPerS;
      notes.push(
        `Throughput: ${opts.loadConnections} device connections (4/5 water meters, 1/5 elevators) in one forked load generator, QoS 1, ${opts.window} in flight per connection; rate = deliveries at the sink over ${opts.measureMs / 1000} s after ${opts.warmupMs / 1000} s warm-up; loss = acknowledged to publishers minus delivered, after draining.`,
        'mosquitto: Debian 2.0, anonymous, persistence off, max_queued_messages 0 (never drops), set_tcp_nodelay true (the project broker sets TCP_NODELAY too); a counting QoS 1 subscriber process.',
        `Broker and pipeline: per-client rate limit lifted (HB_MQTT_CLIENT_MSG_RATE=1000000, a policy not a cost); registries use scrypt N=${BENCH_SCRYPT_COST.N},r=${BENCH_SCRYPT_COST.r},p=${BENCH_SCRYPT_COST.p} for secrets and passwords, and the broker host's import also pre-warms its verified-secret cache.`,
        `Pipeline: startPlatform (registry, broker, engine with its SQLite store, telemetry history HB_TELEMETRY_STORE=${ingest.telemetryStoreInPipeline}), counted by hb_engine_messages_total{channel="telemetry"}.`,
      );
      const lat = ingest.latency;
      if (lat) {
        results.details.latency = lat;
        if (lat.path === 'ws') Object.assign(f, { alertLatencyP50Ms: lat.p50Ms, alertLatencyP95Ms: lat.p95Ms, alertLatencyP99Ms: lat.p99Ms });
        else {
          Object.assign(f, { alertLatencyToCoreEventP50Ms: lat.p50Ms, alertLatencyToCoreEventP95Ms: lat.p95Ms, alertLatencyToCoreEventP99Ms: lat.p99Ms });
          notes.push(`Alert latency is timed to the engine emitting the alert (CoreDriver.events$, reported over IPC with the shared clock), not to a /ws client: ${lat.fallbackReason ?? 'no WebSocket API'}. The figure therefore leaves out the WebSocket push.`);
        }
      }
    }
    if (opts.phases.has('telemetry')) {
      log(`telemetry: ingest with HB_TELEMETRY_STORE=none, embedded and influx (victoria-metrics), ${opts.rounds} interleaved rounds`);
      const t = await measureTelemetryIngest(ctx, opts);
      results.details.telemetry = t;
      f.telemetryInfluxVsOff = t.influxVsOff;
      f.telemetryEmbeddedVsOff = t.embeddedVsOff;
      log(`  off ${t.msgsPerS.none}, embedded ${t.msgsPerS.embedded} (${t.embeddedVsOff} x), influx ${t.msgsPerS.influx} (${t.influxVsOff} x) msg/s; influx written ${t.counters.influx.written}, dropped ${t.counters.influx.dropped}`);
      notes.push(
        `Telemetry: three whole platforms side by side (HB_TELEMETRY_STORE=none, embedded, influx to ${t.influxServer}), the same load as the throughput phase, ${opts.rounds} interleaved rounds; ratios of medians against none. Store counters after the buffers drained: ${(['embedded', 'influx'] as const).map((k) => `${k} written ${t.counters[k].written}, dropped ${t.counters[k].dropped}, too old ${t.counters[k].tooOld}, retries ${t.counters[k].retries}`).join('; ')}.`,
      );
    }
    if (opts.phases.has('connections')) {
      log(`connections: up to ${opts.connections} idle connections (keepalive 60 s)`);
      const c = await measureConnections(ctx, { requested: opts.connections, perProcess: 15_000, perAddress: 25_000, settleMs: 3000, reference: opts.connectionsReference });
      results.details.connections = c;
      f.connections = c.connections;
      f.brokerBytesPerConnection = c.brokerBytesPerConnection;
      f.mosquittoBytesPerConnection = c.mosquittoBytesPerConnection;
      log(`  ${c.connections} connections, ${c.brokerBytesPerConnection} B each (mosquitto ${c.mosquittoBytesPerConnection ?? '—'} B)`);
      if (c.ceiling < c.requested) notes.push(`Connections capped at ${c.ceiling}: ${c.ceilingReason}. ${fd.note}.`);
    }
    if (opts.phases.has('engine-memory')) {
      log(`engine memory: RulesCore with ${opts.engineDevices} devices reporting for 12 h of virtual time vs none`);
      const e = await measureEngineMemory(ctx, opts.engineDevices);
      results.details.engineMemory = e;
      f.engineBytesPerDevice = e.engineBytesPerDevice;
      log(`  ${e.engineBytesPerDevice} B per device after ${e.reportingHours} h of reporting (${e.firstMessageBytesPerDevice} B after the first message; registry ${e.registryBytesPerDevice} B; ${e.alertsRaised} alerts)`);
    }
    if (opts.phases.has('replay')) {
      log(`replay: simulated log of ${opts.replayResidents} residents (npm run sim), the backtest hook, a RulesCore replay`);
      // The core replay is optional next to a real backtest: dropped when the run is already long (busy machine).
      const coreReplayWithBacktest = Date.now() - startedAt.getTime() < opts.coreReplayDeadlineMs;
      const r = await measureReplay(ctx, { residents: opts.replayResidents, days: opts.replayDays, daysWithoutBacktest: opts.replayDaysWithoutBacktest, coreReplayWithBacktest });
      if (r.backtestSeconds !== null && r.coreReplaySeconds === null) notes.push('The RulesCore replay was skipped: the run had already passed its time budget, and the backtest was timed.');
      results.details.replay = r;
      f.backtestMsgsPerS = r.backtestMsgsPerS;
      f.coreReplayMsgsPerS = r.coreReplayMsgsPerS;
      log(`  backtest: ${r.backtestMsgsPerS ?? 'null'}; core replay ${r.coreReplayMsgsPerS ?? '—'} msg/s over ${r.log.messages ?? '?'} messages (${r.log.days} days)`);
    }
  } finally {
    fs.rmSync(ctx.tmpDir, { recursive: true, force: true });
  }
  if (ctx.profileDir) {
    const summary = summarizeProfileDir(ctx.profileDir);
    if (summary) notes.push(`CPU profiles of this run (with --profile, so its figures carry the profiler's overhead): ${summary}`);
  }
  results.machine.cpuPressurePercent = pressure.finish();
  results.targets = checkTargets(results);
  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationS = round((finished.getTime() - startedAt.getTime()) / 1000, 1);
  return results;
}
