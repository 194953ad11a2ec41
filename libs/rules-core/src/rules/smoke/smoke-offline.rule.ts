import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { raiseOffline } from '../device/device-offline.rule';

/**
 * smoke.offline: no heartbeat for twice the period (domain.md). Read with the detector's last words:
 * during an alarm it is a fire (smoke.alarm), after a tamper it was removed (smoke.tamper); after a low
 * battery it is most likely a flat battery, which the reason says.
 */
export function raiseSmokeOffline(k: Kernel, dev: DeviceRuntime, at: number): void {
  const s = dev.state.smoke;
  const low = s?.lowBatteryAt !== undefined || dev.state.batteryLow === true;
  const extra = low ? `; battery probably flat (low battery reported${s?.lowBatteryAt !== undefined ? ` ${dev.site.time.when(s.lowBatteryAt, at)}` : ''})` : '';
  raiseOffline(k, dev, at, extra);
}
