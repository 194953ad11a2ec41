import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';

/**
 * device.low_battery (subject: the device): a low_battery event, or batteryPct below belowPct (default
 * 20 %). Clears at belowPct + hysteresisPct (battery readings wander with temperature) and then
 * resolves itself after cooldownS.
 */
const RULE = 'device.low_battery';

export function onBatteryPct(k: Kernel, dev: DeviceRuntime, pct: number, at: number): void {
  const s = dev.state;
  if (s.batteryPct !== pct) {
    s.batteryPct = pct;
    k.touch(dev);
  }
  const p = dev.params[RULE];
  if (pct < p.belowPct) {
    if (s.batteryLow) return;
    s.batteryLow = true;
    k.deviceEvent(dev, 'battery_low', at);
    k.book.raise(dev.owner, dev, RULE, at, `battery at ${pct} % (below ${p.belowPct} %)`, { batteryPct: pct });
  } else if (s.batteryLow && pct >= p.belowPct + p.hysteresisPct) {
    s.batteryLow = false;
    k.deviceEvent(dev, 'battery_ok', at);
    k.book.cleared(dev.owner, dev, RULE, at, `battery back at ${pct} %`);
  }
}

export function onLowBatteryEvent(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const s = dev.state;
  if (!s.batteryLow) {
    s.batteryLow = true;
    k.touch(dev);
    k.deviceEvent(dev, 'battery_low', at);
  }
  k.book.raise(dev.owner, dev, RULE, at, `the device reported a low battery at ${dev.site.time.when(ts, at)}`, { eventTs: ts });
}
