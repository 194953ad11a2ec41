import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration, formatLiters } from '../../time/site-time';
import { usageBetween } from './water-readings';

/**
 * water.continuous_flow: water used in every reading interval (or flow > 0 reported) for at least afterS
 * (default 60 min; Longgang: "use in every 30-min slot", Sakaki: 2 h): a tap left running, a fall in the
 * shower. An interval longer than afterS / 2 breaks a run: readings that coarse cannot tell continuous
 * flow from separate uses. One alert per run; a safety alert, so the flow stopping only adds evidence.
 */
const RULE = 'water.continuous_flow';

export function checkContinuousFlow(k: Kernel, dev: DeviceRuntime, at: number): void {
  const w = dev.state.water;
  if (!w) return;
  const p = dev.params[RULE];
  const afterMs = p.afterS * 1000;
  const maxGap = afterMs / 2;
  const minLpm = p.minLpm;
  const n = w.ts.length;
  let runStart = Number.NaN;
  for (let i = n - 1; i >= 1; i--) {
    const gap = (w.ts[i] as number) - (w.ts[i - 1] as number);
    const used = (w.total[i] as number) - (w.total[i - 1] as number);
    const flow = w.flow[i] as number;
    // With minLpm 0 any use counts; otherwise the interval's average flow (or the reported flow) must reach it.
    const flowing = minLpm > 0 ? used >= (minLpm * gap) / 60_000 || flow >= minLpm : used > 0 || flow > 0;
    if (!flowing || gap > maxGap) break;
    runStart = w.ts[i - 1] as number;
  }
  const t = dev.site.time;
  if (Number.isNaN(runStart)) {
    if (w.flowLatch !== undefined) {
      const latest = w.ts[n - 1] as number;
      delete w.flowLatch;
      k.touch(dev);
      k.book.cleared(dev.owner, dev, RULE, at, `flow stopped by ${t.when(latest, at)}`);
    }
    return;
  }
  const latest = w.ts[n - 1] as number;
  const runMs = latest - runStart;
  if (runMs < afterMs || w.flowLatch !== undefined) return;
  w.flowLatch = runStart;
  k.touch(dev);
  const liters = usageBetween(w, runStart, latest);
  k.book.raise(dev.owner, dev, RULE, at, `water flowing without a break for ${formatDuration(runMs)} since ${t.when(runStart, at)} (${formatLiters(liters)})`, {
    runStart,
    liters,
  });
}
