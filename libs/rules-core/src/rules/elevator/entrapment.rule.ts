import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';
import { isTrapped, lateNote, sinceText, timedCondition, where } from './elevator-state';
import { raiseOrHold } from './late-reports';

/**
 * elevator.entrapment, critical: the car stopped with the door closed and somebody inside for afterS in
 * a door zone, outsideDoorZoneAfterS outside one (vendor firmware: 45/30 s factory, 20 s field), or the
 * alarm button held >= alarmButtonHeldMs (3 s) while occupied. Regulations expect a rescuer on site
 * within 30 min (domain.md). A safety alert: the car moving or the door opening only adds evidence.
 * Reported late (a terminal's backlog), either opens only if the car is still trapped once the backlog
 * is in, within BACKLOG_GRACE_MS of its last message, saying since when and how late (late-reports.ts).
 */
const RULE = 'elevator.entrapment';

function thresholdMs(dev: DeviceRuntime): number {
  const p = dev.params[RULE];
  return (dev.state.elevator?.doorZone === false ? p.outsideDoorZoneAfterS : p.afterS) * 1000;
}

export function checkEntrapment(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  timedCondition(k, dev, 'entrapment', 'trapSince', isTrapped(st), ts, at, thresholdMs(dev), (since) => {
    k.book.cleared(dev.owner, dev, RULE, at, `car no longer stopped with the door closed (since ${dev.site.time.when(since, at)}); confirm the passengers are out`);
  });
}

export function onEntrapmentTimer(k: Kernel, dev: DeviceRuntime, at: number): void {
  const st = dev.state.elevator;
  if (!st || st.trapSince === undefined) return;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `car stopped at ${where(st)} with the door closed and somebody inside for ${formatDuration(at - st.trapSince)} (since ${sinceText(dev, 'trapSince', at)})`,
    { since: st.trapSince, floor: st.floor ?? null, doorZone: st.doorZone ?? null },
  );
}

/** A late press (a backlog) is held: it raises only if the car is still trapped when the backlog ends. */
export function onAlarmButton(k: Kernel, dev: DeviceRuntime, heldMs: number | undefined, ts: number, at: number): void {
  const st = dev.state.elevator;
  const p = dev.params[RULE];
  if (!st || heldMs === undefined || heldMs < p.alarmButtonHeldMs || st.occupied !== true) return;
  const late = lateNote(dev.state.elevator, ts, at);
  raiseOrHold(
    k,
    dev,
    RULE,
    ts,
    at,
    `alarm button held ${(heldMs / 1000).toFixed(1)} s at ${dev.site.time.when(ts, at)}${late ? `${late},` : ''} with somebody in the car (${where(st)})`,
    { heldMs, ts, floor: st.floor ?? null },
  );
}
