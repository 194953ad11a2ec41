import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';
import { isStopped, sinceText, timedCondition } from './elevator-state';

/**
 * elevator.door_held_open: door open while stopped for afterS (60 s, vendor firmware). Only in normal and
 * emergency-power service: fire service and out-of-service cars legitimately park with open doors.
 */
const RULE = 'elevator.door_held_open';

export function checkDoorHeldOpen(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  const holds = isStopped(st) && st.door === 'open' && (st.mode === 'normal' || st.mode === 'emergency_power');
  timedCondition(k, dev, 'doorHeld', 'doorOpenSince', holds, ts, at, dev.params[RULE].afterS * 1000, () => {
    k.book.cleared(dev.owner, dev, RULE, at, `door no longer held open at ${dev.site.time.when(ts, at)}`);
  });
}

export function onDoorHeldTimer(k: Kernel, dev: DeviceRuntime, at: number): void {
  const st = dev.state.elevator;
  if (!st || st.doorOpenSince === undefined) return;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `door held open at floor ${st.floor ?? '?'} for ${formatDuration(at - st.doorOpenSince)} (since ${sinceText(dev, 'doorOpenSince', at)})`,
    { since: st.doorOpenSince, floor: st.floor ?? null },
  );
}
