import type { DoorState } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';
import { inService, lateNote } from './elevator-state';

/**
 * elevator.door_cycling: the door arriving open `cycles` times (5) within windowS (60 s, vendor
 * firmware): an obstructed or failing door. One alert per burst; the burst ends when the window holds
 * fewer cycles again. Counted in reading time, so a backlog counts as it happened; reported late, it
 * opens at once all the same (the door needs a look), saying how late.
 */
const RULE = 'elevator.door_cycling';

export function checkDoorCycling(k: Kernel, dev: DeviceRuntime, prevDoor: DoorState | undefined, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  const p = dev.params[RULE];
  const windowMs = p.windowS * 1000;
  const c = st.cycles;
  let changed = false;
  if (st.door === 'open' && prevDoor !== undefined && prevDoor !== 'open' && inService(st.mode)) {
    c.push(ts);
    changed = true;
  }
  let drop = 0;
  while (drop < c.length && (c[drop] as number) <= ts - windowMs) drop++;
  if (drop > 0) {
    c.splice(0, drop);
    changed = true;
  }
  if (changed) k.touch(dev);
  if (c.length >= p.cycles && !st.cyclingLatched) {
    st.cyclingLatched = true;
    k.book.raise(
      dev.owner,
      dev,
      RULE,
      at,
      `door opened ${c.length} times in ${formatDuration(ts - (c[0] as number))} at floor ${st.floor ?? '?'} (limit ${p.cycles} in ${formatDuration(windowMs)})${lateNote(dev.state.elevator, ts, at)}`,
      { cycles: c.length, windowS: p.windowS },
    );
  } else if (c.length < p.cycles && st.cyclingLatched) {
    st.cyclingLatched = false;
  }
}
