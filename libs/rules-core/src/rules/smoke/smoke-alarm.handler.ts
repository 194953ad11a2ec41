import type { SmokeEvent, SmokeTelemetry } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { goOffline } from '../device/device-offline.rule';
import { onBatteryPct, onLowBatteryEvent } from '../device/low-battery.rule';
import { offlineDuringAlarm, onAlarm, onAlarmCleared } from './smoke-alarm.rule';
import { onSmokeFault } from './smoke-fault.rule';
import { raiseSmokeOffline } from './smoke-offline.rule';
import { offlineAfterTamper, onTamper, onTamperRestored } from './smoke-tamper.rule';

/** Smoke alarm messages: heartbeats carry the battery, events drive the rules. */
export function onSmokeTelemetry(k: Kernel, dev: DeviceRuntime, body: SmokeTelemetry, at: number): void {
  if (body.batteryPct !== undefined) onBatteryPct(k, dev, body.batteryPct, at);
}

export function onSmokeEvent(k: Kernel, dev: DeviceRuntime, body: SmokeEvent, at: number): void {
  const s = dev.state.smoke;
  switch (body.event) {
    case 'alarm':
      return onAlarm(k, dev, body.ts, at);
    case 'alarm_cleared':
    case 'silenced':
      return onAlarmCleared(k, dev, body.ts, at, body.event);
    case 'fault':
    case 'chamber_dirty':
      return onSmokeFault(k, dev, body.event, body.ts, at);
    case 'tamper':
      return onTamper(k, dev, body.ts, at);
    case 'tamper_restored':
      return onTamperRestored(k, dev, body.ts, at);
    case 'low_battery':
      if (s) s.lowBatteryAt = body.ts;
      return onLowBatteryEvent(k, dev, body.ts, at);
    case 'test':
      if (s) s.lastTestAt = body.ts;
      return;
  }
}

/** The Last Will arrived: only an alarming detector makes that urgent at once. */
export function onSmokeDisconnected(k: Kernel, dev: DeviceRuntime, at: number): void {
  offlineDuringAlarm(k, dev, at, 'connection lost');
}

export function onSmokeTimer(k: Kernel, dev: DeviceRuntime, name: string, at: number): void {
  if (name !== 'offline') return;
  goOffline(k, dev, at);
  if (offlineDuringAlarm(k, dev, at, 'no heartbeat')) return;
  if (offlineAfterTamper(k, dev, at)) return;
  raiseSmokeOffline(k, dev, at);
}
