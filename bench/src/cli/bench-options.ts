import * as path from 'node:path';
import { parseArgs } from 'node:util';

export const PHASES = ['throughput', 'latency', 'telemetry', 'connections', 'engine-memory', 'replay'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  mode: 'default' | 'quick';
  phases: Set<Phase>;
  /** Throughput: device connections of the load generator, and QoS 1 messages in flight on each. */
  loadConnections: number;
  window: number;
  warmupMs: number;
  measureMs: number;
  /** Throughput measurements per target, interleaved (mosquitto, broker, pipeline, mosquitto, ...). */
  rounds: number;
  maxBacklog: number;
  probes: number;
  probeEveryMs: number;
  /** Background load of the latency phase as a fraction of the pipeline's measured maximum (target: 0.5). */
  latencyLoad: number;
  /** Idle connections asked of one broker process (capped by the descriptor limit). */
  connections: number;
  connectionsReference: boolean;
  engineDevices: number;
  replayResidents: number;
  /** Days of the simulated log when `npm run backtest` exists (the target is for 30). */
  replayDays: number;
  /** Days of the log for the core replay alone, while there is no backtest: a shorter log, same rate. */
  replayDaysWithoutBacktest: number;
  /** Past this much run time, the optional RulesCore replay is skipped when the backtest was timed. */
  coreReplayDeadlineMs: number;
  profile: boolean;
  outDir: string;
  /** The run is aborted (every child killed) past this. */
  hardLimitMs: number;
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `npm run bench [-- options]
  --quick              small sizes, about 2.5 minutes (default run: 9-13 minutes)
  --connections N      idle connections for the connection test (default 50000, capped by RLIMIT_NOFILE)
  --load-connections N device connections of the throughput load (default 1000; quick 200)
  --rounds N           interleaved throughput rounds per target (default 3; quick 1)
  --latency-load F     background load of the latency phase, fraction of the pipeline maximum (default 0.5)
  --only LIST          comma-separated phases: ${PHASES.join(', ')}
  --profile            write V8 CPU profiles of the broker and platform hosts (results/profiles/) and summarise them
  --out DIR            results directory (default bench/results)`;

function int(name: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function fraction(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const f = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || !(f > 0 && f <= 1)) throw new UsageError(`--${name} must be a fraction in (0, 1], got ${JSON.stringify(v)}`);
  return f;
}

/** Parses the bench's command line; `resultsDir` is where results go unless --out says otherwise. */
export function parseBenchOptions(argv: readonly string[], resultsDir: string): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        connections: { type: 'string' },
        'load-connections': { type: 'string' },
        rounds: { type: 'string' },
        'latency-load': { type: 'string' },
        only: { type: 'string' },
        profile: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const quick = values.quick === true;
  const phases = new Set<Phase>();
  for (const p of values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? PHASES) {
    if (!(PHASES as readonly string[]).includes(p)) throw new UsageError(`--only: unknown phase "${p}" (${PHASES.join(', ')})`);
    phases.add(p as Phase);
  }
  return {
    mode: quick ? 'quick' : 'default',
    phases,
    loadConnections: int('load-connections', values['load-connections'], quick ? 200 : 1000, 1),
    window: 4,
    warmupMs: quick ? 2000 : 4000,
    measureMs: quick ? 6000 : 15_000,
    rounds: int('rounds', values.rounds, quick ? 1 : 3, 1),
    maxBacklog: 5000,
    probes: quick ? 60 : 200,
    probeEveryMs: 50,
    latencyLoad: fraction('latency-load', values['latency-load'], 0.5),
    connections: int('connections', values.connections, quick ? 2000 : 50_000, 1),
    connectionsReference: true,
    engineDevices: quick ? 2000 : 5000,
    replayResidents: quick ? 100 : 1200,
    replayDays: quick ? 7 : 30,
    replayDaysWithoutBacktest: 7,
    coreReplayDeadlineMs: (quick ? 1.5 : 7) * 60_000,
    profile: values.profile === true,
    outDir: path.resolve(values.out ?? resultsDir),
    hardLimitMs: (quick ? 5 : 20) * 60_000,
    help: values.help === true,
  };
}
