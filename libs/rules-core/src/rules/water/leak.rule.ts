import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';

/** water.leak: the meter's own leak flag (vendor decoders: leak alarm). A person resolves it. */
export function leakEvent(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  k.book.raise(dev.owner, dev, 'water.leak', at, `the meter reported a leak at ${dev.site.time.when(ts, at)}`, { ts });
}
