import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { lateNote } from './elevator-state';

/**
 * elevator.safety_circuit: the safety chain opened (GB/T 24476 event). Immediate; a maintainer resolves it.
 * Reported late, still opened at once (the chain needs an inspection whatever came after), saying how late.
 */
export function onSafetyCircuit(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const floor = dev.state.elevator?.floor;
  k.book.raise(dev.owner, dev, 'elevator.safety_circuit', at, `safety circuit broken at ${dev.site.time.when(ts, at)}${lateNote(dev.state.elevator, ts, at)} (floor ${floor ?? '?'})`, { ts });
}
