import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { lateNote } from './elevator-state';

/** elevator.overrun: the car passed the top or bottom terminal floor (GB/T 24476 event). Immediate, also when reported late. */
export function onOverrun(k: Kernel, dev: DeviceRuntime, end: 'top' | 'bottom', ts: number, at: number): void {
  k.book.raise(dev.owner, dev, 'elevator.overrun', at, `car overran the ${end} terminal floor at ${dev.site.time.when(ts, at)}${lateNote(dev.state.elevator, ts, at)}`, { end, ts });
}
