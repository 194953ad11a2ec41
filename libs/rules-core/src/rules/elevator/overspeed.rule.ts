import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { lateNote } from './elevator-state';
import { raiseOrHold } from './late-reports';

/**
 * elevator.overspeed: speed at or above factor x rated speed (1.2 x), critical at criticalFactor x (1.4 x)
 * (vendor firmware). Raised once per episode and again when it reaches the critical level; the
 * governor must be inspected, so a person resolves it. Reported late, it waits for the backlog: still so,
 * as usual; over, a past fault to inspect, at most high (late-reports.ts).
 */
const RULE = 'elevator.overspeed';
// Speeds and factors are decimals: 1.2 x 1.75 is 2.0999999999999996 in binary floating point.
const EPS = 1e-9;

export function checkOverspeed(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  const rated = dev.owner.ratedSpeedMps;
  if (!st || rated <= 0) return;
  const p = dev.params[RULE];
  const v = st.speedMps ?? 0;
  const level = v >= p.criticalFactor * rated - EPS ? 2 : v >= p.factor * rated - EPS ? 1 : 0;
  const prev = st.overspeedLevel ?? 0;
  if (level === prev) return;
  st.overspeedLevel = level;
  k.touch(dev);
  if (level > prev) {
    raiseOrHold(
      k,
      dev,
      RULE,
      ts,
      at,
      `car moving at ${v} m/s, ${(v / rated).toFixed(2)} x the rated ${rated} m/s (limit ${p.factor} x, critical ${p.criticalFactor} x) at ${dev.site.time.when(ts, at)}${lateNote(dev.state.elevator, ts, at)}`,
      { speedMps: v, ratedSpeedMps: rated, ts },
      level === 2 ? 'critical' : 'high',
    );
  }
}
