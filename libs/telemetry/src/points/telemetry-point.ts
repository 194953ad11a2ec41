import type { DeviceKind, Direction, DoorState, ElevatorMode, PowerState } from '@hearthbeat/contracts';

/** Who a device belongs to, from the registry: a resident, an elevator, or nobody yet (the device itself). */
export interface TelemetrySubject {
  type: 'resident' | 'elevator' | 'device';
  id: string;
  site: string;
}

/** Why an elevator was unavailable; documented in docs/telemetry.md ("Elevator activity"). */
export const DOWNTIME_REASONS = ['offline', 'out_of_service', 'maintenance', 'power_off'] as const;
export type DowntimeReason = (typeof DOWNTIME_REASONS)[number];

/** Elevator events counted as faults (GB/T 24476 fault signals); alarm button and test call are not. */
export const ELEVATOR_FAULT_EVENTS: readonly string[] = ['safety_circuit', 'door_lock_fault', 'overrun_top', 'overrun_bottom', 'power_lost'];

interface Base {
  /** Device time (the payload's `ts`), epoch ms. */
  ts: number;
  site: string;
  device: string;
}

/** One interval reading of a water meter's cumulative register. */
export interface WaterPoint extends Base {
  m: 'water';
  /** Absent when the meter belongs to no resident. */
  resident?: string;
  totalL: number;
  flowLpm?: number;
}

export interface ElevatorStatePoint extends Base {
  m: 'elevator_state';
  elevator: string;
  floor: number;
  doorZone: boolean;
  direction: Direction;
  door: DoorState;
  occupied: boolean;
  speedMps: number;
  mode: ElevatorMode;
  power: PowerState;
}

/** Derived at ingest: a run from stopped to stopped at another floor, stamped at its arrival. */
export interface ElevatorTripPoint extends Base {
  m: 'elevator_trip';
  elevator: string;
  fromFloor: number;
  toFloor: number;
  durationMs: number;
}

/** Derived at ingest: the door opened and closed again, stamped when it closed. */
export interface ElevatorDoorCyclePoint extends Base {
  m: 'elevator_door_cycle';
  elevator: string;
  openMs: number;
}

/** Derived at ingest: a piece of downtime that starts at `ts`, never crossing a quarter hour. */
export interface ElevatorDowntimePoint extends Base {
  m: 'elevator_downtime';
  elevator: string;
  reason: DowntimeReason;
  durationMs: number;
}

interface SubjectTags {
  kind: DeviceKind;
  subjectType: TelemetrySubject['type'];
  subject: string;
}

export interface DeviceEventPoint extends Base, SubjectTags {
  m: 'device_event';
  event: string;
  heldMs?: number;
  receivedAt: number;
}

/** Battery, signal and valve, when a telemetry message carries them. */
export interface DeviceHealthPoint extends Base, SubjectTags {
  m: 'device_health';
  batteryPct?: number;
  rssi?: number;
  valve?: string;
}

/** `{"online":true}` on connect, the Last Will `{"online":false}`; stamped at receipt when it has no `ts`. */
export interface DeviceStatusPoint extends Base, SubjectTags {
  m: 'device_status';
  online: boolean;
  receivedAt: number;
}

export type TelemetryPoint =
  | WaterPoint
  | ElevatorStatePoint
  | ElevatorTripPoint
  | ElevatorDoorCyclePoint
  | ElevatorDowntimePoint
  | DeviceEventPoint
  | DeviceHealthPoint
  | DeviceStatusPoint;

export type Measurement = TelemetryPoint['m'];
