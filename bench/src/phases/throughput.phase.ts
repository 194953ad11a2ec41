import type { BenchOptions } from '../cli/bench-options';
import type { BenchContext } from '../core/bench.context';
import { CpuWindow, PressureWindow } from '../core/proc-stats';
import { median, round } from '../core/stats';
import type { BenchDevice } from '../fleet/bench-fleet';
import type { LoopDelay } from '../hosts/host.protocol';
import { LoadSession } from './load.session';
import type { CountFeed } from './count.feed';

export type TargetName = 'mosquitto' | 'broker' | 'pipeline';
/** The telemetry phase measures the pipeline twice more: with no history store and with InfluxDB. */
export type MeasuredName = TargetName | 'pipeline-off' | 'pipeline-influx';

/** Something to measure: where devices connect, what counts deliveries, which processes to watch. */
export interface ThroughputTarget {
  name: MeasuredName;
  port: number;
  feed: CountFeed;
  /** Processes whose CPU use is reported (the broker or platform; the sink when separate). */
  pids: Record<string, number>;
  /** The Node host's event-loop delay since the previous call (mosquitto has none). */
  loopDelay?: () => Promise<LoopDelay>;
}

export interface ThroughputConfig {
  connections: number;
  window: number;
  warmupMs: number;
  measureMs: number;
  maxBacklog: number;
  waterEpoch: number;
}

/** The load of a throughput run as the command line sets it; readings start at `waterEpoch`. */
export function throughputConfigFor(opts: BenchOptions, waterEpoch: number): ThroughputConfig {
  return { connections: opts.loadConnections, window: opts.window, warmupMs: opts.warmupMs, measureMs: opts.measureMs, maxBacklog: opts.maxBacklog, waterEpoch };
}

export interface ThroughputRun {
  target: MeasuredName;
  round: number;
  connections: number;
  connectFailures: Record<string, number>;
  /** Delivered at the sink per second over the measurement window (after the warm-up). */
  msgsPerS: number;
  windowS: number;
  sent: number;
  acked: number;
  delivered: number;
  /** Acknowledged to a publisher but never delivered at the sink (after draining). */
  lost: number;
  unacked: number;
  payloadBytesMean: number;
  /** Percent of one core per process during the window (2 cores = 200 %). */
  cpuPercent: Record<string, number>;
  /** Share of the window during which some task on the machine waited for a CPU (PSI), in %. */
  cpuPressurePercent: number | null;
  /** Event-loop delay of the broker or platform process during the window (ms). */
  loopDelayMs?: { p99: number; max: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One measurement: fresh load-generator process, devices connect, publish as fast as the windows and the
 * backlog bound allow; the rate is the sink's count over the window; then stop, drain, count the loss.
 * `startIndex` continues each device's message stream from an earlier run (reading time must advance).
 */
export async function measureThroughput(
  ctx: BenchContext,
  target: ThroughputTarget,
  devices: BenchDevice[],
  cfg: ThroughputConfig,
  roundNo: number,
  startIndex: number[],
): Promise<ThroughputRun & { nextIndex: number[] }> {
  const session = await LoadSession.open(ctx, `load-${target.name}-r${roundNo}`, {
    host: '127.0.0.1',
    port: target.port,
    devices,
    keepaliveS: 60,
    localAddresses: [],
    perAddress: devices.length,
    concurrency: 100,
  });
  try {
    await session.start(target.feed, { window: cfg.window, ratePerS: 0, waterEpoch: cfg.waterEpoch, startIndex, maxBacklog: cfg.maxBacklog });
    await sleep(cfg.warmupMs);
    const s0 = await target.feed.fresh();
    await target.loopDelay?.();
    const cpu = new CpuWindow({ ...target.pids, load: session.pid });
    const pressure = new PressureWindow();
    await sleep(cfg.measureMs);
    const s1 = await target.feed.fresh();
    const cpuPercent = cpu.finish();
    const cpuPressurePercent = pressure.finish();
    const loop = await target.loopDelay?.();
    const stop = await session.stop();
    const delivered = await session.drain(target.feed, stop.acked);
    const windowS = (s1.at - s0.at) / 1000;
    return {
      target: target.name,
      round: roundNo,
      connections: session.connect.connected,
      connectFailures: session.connect.reasons,
      msgsPerS: round((s1.count - s0.count) / windowS, 0),
      windowS: round(windowS, 2),
      sent: stop.sent,
      acked: stop.acked,
      delivered,
      lost: stop.acked - delivered,
      unacked: stop.unacked,
      payloadBytesMean: round(stop.payloadBytesMean, 1),
      cpuPercent,
      cpuPressurePercent,
      ...(loop ? { loopDelayMs: { p99: loop.p99Ms, max: loop.maxMs } } : {}),
      nextIndex: stop.nextIndex,
    };
  } finally {
    await session.close();
  }
}

export interface ThroughputFigures {
  mosquittoMsgsPerS: number;
  brokerMsgsPerS: number;
  pipelineMsgsPerS: number;
  pipelineVsMosquitto: number;
  brokerVsMosquitto: number;
  lost: number;
  lostByTarget: Record<TargetName, number>;
}

/** Median over rounds per target; ratios of the medians; loss summed over every run. */
export function throughputFigures(runs: readonly ThroughputRun[]): ThroughputFigures {
  const rate = (t: TargetName) => median(runs.filter((r) => r.target === t).map((r) => r.msgsPerS));
  const lostOf = (t: TargetName) => runs.filter((r) => r.target === t).reduce((s, r) => s + r.lost, 0);
  const m = rate('mosquitto');
  const b = rate('broker');
  const p = rate('pipeline');
  const lostByTarget = { mosquitto: lostOf('mosquitto'), broker: lostOf('broker'), pipeline: lostOf('pipeline') };
  return {
    mosquittoMsgsPerS: m,
    brokerMsgsPerS: b,
    pipelineMsgsPerS: p,
    pipelineVsMosquitto: round(p / m, 3),
    brokerVsMosquitto: round(b / m, 3),
    lost: lostByTarget.mosquitto + lostByTarget.broker + lostByTarget.pipeline,
    lostByTarget,
  };
}
