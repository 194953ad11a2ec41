import { z } from 'zod';

/** protocol.md, "Payloads": UTF-8 JSON object of at most 8 KiB. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;
/** A `ts` more than 24 h ahead of the platform clock is rejected. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

// Physical bounds: wide enough for every real device, narrow enough to catch unit mistakes.
export const BOUNDS = {
  totalL: { min: 0, max: 1e10 },
  flowLpm: { min: 0, max: 1000 },
  batteryPct: { min: 0, max: 100 },
  rssi: { min: -150, max: 0 },
  floor: { min: -20, max: 300 },
  speedMps: { min: 0, max: 25 },
  heldMs: { min: 0, max: 3_600_000 },
} as const;

const ts = z.int().min(0);
const seq = z.int().min(0);
const battery = z.number().min(BOUNDS.batteryPct.min).max(BOUNDS.batteryPct.max);
const rssi = z.number().min(BOUNDS.rssi.min).max(BOUNDS.rssi.max);
const totalL = z.number().min(BOUNDS.totalL.min).max(BOUNDS.totalL.max);
const flowLpm = z.number().min(BOUNDS.flowLpm.min).max(BOUNDS.flowLpm.max);

const common = { ts, seq: seq.optional() };

export const VALVE_STATES = ['open', 'closed', 'fault'] as const;
export const WATER_EVENTS = ['leak', 'valve_fault', 'low_battery', 'tamper'] as const;
export const SMOKE_EVENTS = [
  'alarm',
  'alarm_cleared',
  'silenced',
  'test',
  'low_battery',
  'fault',
  'chamber_dirty',
  'tamper',
  'tamper_restored',
] as const;
export const ELEVATOR_EVENTS = [
  'alarm_button',
  'safety_circuit',
  'door_lock_fault',
  'overrun_top',
  'overrun_bottom',
  'power_lost',
  'power_restored',
  'test_call',
] as const;
export const DIRECTIONS = ['up', 'down', 'stopped'] as const;
export const DOOR_STATES = ['open', 'closed', 'opening', 'closing'] as const;
export const ELEVATOR_MODES = ['normal', 'inspection', 'maintenance', 'fire', 'out_of_service', 'emergency_power'] as const;
export const POWER_STATES = ['mains', 'battery', 'off'] as const;

export const waterReadingSchema = z.object({ ts, totalL, flowLpm: flowLpm.optional() });

export const waterTelemetrySchema = z.object({
  ...common,
  totalL: totalL.optional(),
  flowLpm: flowLpm.optional(),
  batteryPct: battery.optional(),
  rssi: rssi.optional(),
  valve: z.enum(VALVE_STATES).optional(),
  readings: z.array(waterReadingSchema).min(1).max(500).optional(),
});
export const waterEventSchema = z.object({ ...common, event: z.enum(WATER_EVENTS) });

export const smokeTelemetrySchema = z.object({ ...common, batteryPct: battery.optional(), rssi: rssi.optional() });
export const smokeEventSchema = z.object({ ...common, event: z.enum(SMOKE_EVENTS) });

export const elevatorTelemetrySchema = z.object({
  ...common,
  floor: z.int().min(BOUNDS.floor.min).max(BOUNDS.floor.max),
  doorZone: z.boolean(),
  direction: z.enum(DIRECTIONS),
  door: z.enum(DOOR_STATES),
  occupied: z.boolean(),
  speedMps: z.number().min(BOUNDS.speedMps.min).max(BOUNDS.speedMps.max),
  mode: z.enum(ELEVATOR_MODES),
  power: z.enum(POWER_STATES),
  batteryPct: battery.optional(),
  rssi: rssi.optional(),
});
export const elevatorEventSchema = z.object({
  ...common,
  event: z.enum(ELEVATOR_EVENTS),
  heldMs: z.int().min(BOUNDS.heldMs.min).max(BOUNDS.heldMs.max).optional(),
});

/** Status: `{"online":true}` on connect, the Last Will `{"online":false}`; `ts` optional here (a Will has none). */
export const statusSchema = z.object({ online: z.boolean(), ts: ts.optional(), seq: seq.optional() });

export type WaterReading = z.infer<typeof waterReadingSchema>;
export type WaterTelemetry = z.infer<typeof waterTelemetrySchema>;
export type WaterEvent = z.infer<typeof waterEventSchema>;
export type SmokeTelemetry = z.infer<typeof smokeTelemetrySchema>;
export type SmokeEvent = z.infer<typeof smokeEventSchema>;
export type ElevatorTelemetry = z.infer<typeof elevatorTelemetrySchema>;
export type ElevatorEvent = z.infer<typeof elevatorEventSchema>;
export type StatusPayload = z.infer<typeof statusSchema>;
export type WaterEventName = (typeof WATER_EVENTS)[number];
export type SmokeEventName = (typeof SMOKE_EVENTS)[number];
export type ElevatorEventName = (typeof ELEVATOR_EVENTS)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type DoorState = (typeof DOOR_STATES)[number];
export type ElevatorMode = (typeof ELEVATOR_MODES)[number];
export type PowerState = (typeof POWER_STATES)[number];

/**
 * The interval readings a water telemetry message carries, oldest first: the batch when there is
 * one, else the single reading. Usage is the difference between consecutive readings by `ts`.
 */
export function waterReadingsOf(msg: WaterTelemetry): WaterReading[] {
  if (msg.readings) return [...msg.readings].sort((a, b) => a.ts - b.ts);
  if (msg.totalL === undefined) return [];
  return [{ ts: msg.ts, totalL: msg.totalL, ...(msg.flowLpm !== undefined ? { flowLpm: msg.flowLpm } : {}) }];
}
