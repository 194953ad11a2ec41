import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';

/** smoke.fault: fault or chamber_dirty events (detector payloads). A maintenance ticket. */
export function onSmokeFault(k: Kernel, dev: DeviceRuntime, what: 'fault' | 'chamber_dirty', ts: number, at: number): void {
  const text = what === 'fault' ? 'the detector reported a fault' : 'the smoke chamber is dirty';
  k.book.raise(dev.owner, dev, 'smoke.fault', at, `${text} at ${dev.site.time.when(ts, at)}`, { fault: what, ts });
}
