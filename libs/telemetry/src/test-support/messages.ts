import type { DeviceMessage, ElevatorEventName, ElevatorTelemetry } from '@hearthbeat/contracts';
import type { TelemetrySubject } from '../points/telemetry-point';

export const SITE = 'jiangsu-road';
export const resident = (id: string): TelemetrySubject => ({ type: 'resident', id, site: SITE });
export const elevatorSubject = (id: string): TelemetrySubject => ({ type: 'elevator', id, site: SITE });

export function water(deviceId: string, ts: number, totalL: number): DeviceMessage {
  return { deviceId, kind: 'water_meter', channel: 'telemetry', body: { ts, totalL } };
}

export function elevatorState(deviceId: string, ts: number, patch: Partial<ElevatorTelemetry> = {}): DeviceMessage {
  return {
    deviceId,
    kind: 'elevator',
    channel: 'telemetry',
    body: { ts, floor: 1, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains', ...patch },
  };
}

export function elevatorEvent(deviceId: string, ts: number, event: ElevatorEventName, heldMs?: number): DeviceMessage {
  return { deviceId, kind: 'elevator', channel: 'event', body: { ts, event, ...(heldMs !== undefined ? { heldMs } : {}) } };
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** 2025-03-01 00:00 in Asia/Shanghai. */
export const SH_DAY = Date.parse('2025-02-28T16:00:00Z');
