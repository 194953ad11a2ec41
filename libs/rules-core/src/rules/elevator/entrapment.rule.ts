import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';
import { inService, isStopped, timedCondition, where } from './elevator-state';

/**
 * elevator.entrapment, critical: the car stopped with the door closed and somebody inside for afterS in
 * a door zone, outsideDoorZoneAfterS outside one (vendor firmware: 45/30 s factory, 20 s field), or the
 * alarm button held >= alarmButtonHeldMs (3 s) while occupied. Regulations expect a rescuer on site
 * within 30 min (domain.md). A safety alert: the car moving or the door opening only adds evidence.
 */
const RULE = 'elevator.entrapment';

function thresholdMs(dev: DeviceRuntime): number {
  const p = dev.params[RULE];
  return (dev.state.elevator?.doorZone === false ? p.outsideDoorZoneAfterS : p.afterS) * 1000;
}

export function checkEntrapment(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  const holds = isStopped(st) && st.door === 'closed' && st.occupied === true && inService(st.mode);
  timedCondition(k, dev, 'entrapment', 'trapSince', holds, ts, thresholdMs(dev), (since) => {
    k.book.cleared(dev.owner, dev, RULE, at, `car no longer stopped with the door closed (since ${dev.site.time.when(since, at)}); confirm the passengers are out`);
  });
}

export function onEntrapmentTimer(k: Kernel, dev: DeviceRuntime, at: number): void {
  const st = dev.state.elevator;
  if (!st || st.trapSince === undefined) return;
  const t = dev.site.time;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `car stopped at ${where(st)} with the door closed and somebody inside for ${formatDuration(at - st.trapSince)} (since ${t.when(st.trapSince, at)})`,
    { since: st.trapSince, floor: st.floor ?? null, doorZone: st.doorZone ?? null },
  );
}

export function onAlarmButton(k: Kernel, dev: DeviceRuntime, heldMs: number | undefined, ts: number, at: number): void {
  const st = dev.state.elevator;
  const p = dev.params[RULE];
  if (!st || heldMs === undefined || heldMs < p.alarmButtonHeldMs || st.occupied !== true) return;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `alarm button held ${(heldMs / 1000).toFixed(1)} s at ${dev.site.time.when(ts, at)} with somebody in the car (${where(st)})`,
    { heldMs, ts, floor: st.floor ?? null },
  );
}
