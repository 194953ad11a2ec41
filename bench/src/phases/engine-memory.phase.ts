import { ChildHandle } from '../core/child.handle';
import { benchModule, type BenchContext } from '../core/bench.context';
import { round } from '../core/stats';
import type { EngineMemoryReport } from './engine-memory.child';

export interface EngineMemoryResult {
  devices: number;
  /** Virtual time of normal reporting before the steady-state sample (hours). */
  reportingHours: number;
  /** V8 heap per tracked device in the idle steady state: compiled registry entry plus the core's state. */
  engineBytesPerDevice: number;
  /** The same right after every device's first message (reading windows and dedup rings still empty). */
  firstMessageBytesPerDevice: number;
  registryBytesPerDevice: number;
  /** The process RSS per device in the steady state (includes allocator slack; noisier). */
  engineRssBytesPerDevice: number;
  alertsRaised: number;
}

/** Runs engine-memory.child.ts in a fresh process with --expose-gc; 48 steps of 15 minutes = 12 hours. */
export async function measureEngineMemory(ctx: BenchContext, devices: number, steps = 48): Promise<EngineMemoryResult> {
  const child = ChildHandle.fork(benchModule('phases/engine-memory.child.js'), { name: 'engine-memory', logDir: ctx.logDir, execArgv: ['--expose-gc'] });
  try {
    await child.next('hello', 10_000);
    const r = (await child.request({ type: 'measure', devices, steps }, 'engine-memory', 300_000)) as unknown as EngineMemoryReport;
    const per = (a: number, b: number) => round((b - a) / r.devices, 0);
    return {
      devices: r.devices,
      reportingHours: round((r.steps * 15) / 60, 1),
      engineBytesPerDevice: per(r.empty.heapUsed, r.steady.heapUsed),
      firstMessageBytesPerDevice: per(r.empty.heapUsed, r.firstMessage.heapUsed),
      registryBytesPerDevice: per(r.empty.heapUsed, r.registry.heapUsed),
      engineRssBytesPerDevice: per(r.empty.rss, r.steady.rss),
      alertsRaised: r.alerts,
    };
  } finally {
    await child.stop();
  }
}
