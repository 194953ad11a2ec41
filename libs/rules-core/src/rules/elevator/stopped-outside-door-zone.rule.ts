import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';
import { inService, isStopped, sinceText, timedCondition } from './elevator-state';

/** elevator.stopped_outside_door_zone: stopped outside a door zone for afterS (45 s, vendor firmware). */
const RULE = 'elevator.stopped_outside_door_zone';

export function checkOutsideDoorZone(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  const holds = isStopped(st) && st.doorZone === false && inService(st.mode);
  timedCondition(k, dev, 'outsideZone', 'outsideSince', holds, ts, at, dev.params[RULE].afterS * 1000, () => {
    k.book.cleared(dev.owner, dev, RULE, at, `car moving or in a door zone again at ${dev.site.time.when(ts, at)}`);
  });
}

export function onOutsideZoneTimer(k: Kernel, dev: DeviceRuntime, at: number): void {
  const st = dev.state.elevator;
  if (!st || st.outsideSince === undefined) return;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `car stopped near floor ${st.floor ?? '?'} outside a door zone for ${formatDuration(at - st.outsideSince)} (since ${sinceText(dev, 'outsideSince', at)})`,
    { since: st.outsideSince, floor: st.floor ?? null },
  );
}
