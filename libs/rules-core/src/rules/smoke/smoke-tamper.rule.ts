import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';

/**
 * smoke.tamper: the detector was opened or taken off its base. domain.md: "tamper then offline =
 * removed by resident": the offline deadline after a tamper raises this alert to high with that
 * reading instead of a plain offline alert. tamper_restored clears it (resolving after cooldownS).
 */
const RULE = 'smoke.tamper';

export function onTamper(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const s = dev.state.smoke;
  if (!s) return;
  s.tamperSince = ts;
  k.touch(dev);
  k.book.raise(dev.owner, dev, RULE, at, `the detector reported tampering at ${dev.site.time.when(ts, at)}`, { ts });
}

export function onTamperRestored(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const s = dev.state.smoke;
  if (!s) return;
  delete s.tamperSince;
  k.touch(dev);
  k.book.cleared(dev.owner, dev, RULE, at, `tamper restored at ${dev.site.time.when(ts, at)}`);
}

/** True when the silence of this detector reads as "removed by the resident". */
export function offlineAfterTamper(k: Kernel, dev: DeviceRuntime, at: number): boolean {
  const s = dev.state.smoke;
  if (!s || s.tamperSince === undefined) return false;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `detector probably removed: tampering at ${dev.site.time.when(s.tamperSince, at)}, then no message`,
    { tamperSince: s.tamperSince, offline: true },
    'high',
  );
  return true;
}
