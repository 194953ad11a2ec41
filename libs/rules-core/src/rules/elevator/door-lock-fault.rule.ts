import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { lateNote } from './elevator-state';

/** elevator.door_lock_fault: a landing or car door lock fault (GB/T 24476 event). Immediate, also when reported late. */
export function onDoorLockFault(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const floor = dev.state.elevator?.floor;
  k.book.raise(dev.owner, dev, 'elevator.door_lock_fault', at, `door lock fault at ${dev.site.time.when(ts, at)}${lateNote(dev.state.elevator, ts, at)} (floor ${floor ?? '?'})`, { ts });
}
