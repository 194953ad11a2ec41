import type { PowerState } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { lateNote } from './elevator-state';
import { raiseOrHold } from './late-reports';

/**
 * elevator.power_lost: the power_lost event, or telemetry leaving mains (GB/T 24476). Power restored
 * (event or mains again) clears it; it then resolves itself after cooldownS. Reported late, it waits for
 * the backlog and opens only if the power is still off then (late-reports.ts).
 */
const RULE = 'elevator.power_lost';

export function onPowerLost(k: Kernel, dev: DeviceRuntime, ts: number, at: number, how: string): void {
  const st = dev.state.elevator;
  if (!st) return;
  st.powerLost = true;
  k.touch(dev);
  raiseOrHold(k, dev, RULE, ts, at, `power lost (${how}) at ${dev.site.time.when(ts, at)}${lateNote(dev.state.elevator, ts, at)}`, { ts });
}

export function onPowerRestored(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  st.powerLost = false;
  k.touch(dev);
  k.book.cleared(dev.owner, dev, RULE, at, `power restored at ${dev.site.time.when(ts, at)}`);
}

export function checkPowerTelemetry(k: Kernel, dev: DeviceRuntime, prev: PowerState | undefined, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st || st.power === prev) return;
  if (st.power !== 'mains' && (prev === 'mains' || prev === undefined) && !st.powerLost) onPowerLost(k, dev, ts, at, `running on ${st.power}`);
  else if (st.power === 'mains' && st.powerLost) onPowerRestored(k, dev, ts, at);
}
