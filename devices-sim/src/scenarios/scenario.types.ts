import { TRUTH_KINDS } from '@hearthbeat/contracts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../core/zoned-time.util';

/** Scenarios that happen to a resident (or to one of the resident's devices). */
export const RESIDENT_SCENARIOS = [
  'fall',
  'fall_in_shower',
  'hospital',
  'away',
  'away_unannounced',
  'late_rising',
  'tap_running',
  'leak',
  'fire',
  'detector_removed',
  'low_battery',
  'meter_outage',
  'garbage',
] as const;

/** Scenarios that happen to an elevator. `garbage` is shared with residents. */
export const ELEVATOR_SCENARIOS = [
  'entrapment',
  'entrapment_outside',
  'door_fault',
  'door_cycling',
  'overspeed',
  'power_cut',
  'alarm_misuse',
  'test_calls_stop',
  'garbage',
] as const;

export type ResidentScenarioKind = (typeof RESIDENT_SCENARIOS)[number];
export type ElevatorScenarioKind = (typeof ELEVATOR_SCENARIOS)[number];
export type ScenarioKind = ResidentScenarioKind | ElevatorScenarioKind;
export const SCENARIO_KINDS: readonly ScenarioKind[] = [...new Set<ScenarioKind>([...RESIDENT_SCENARIOS, ...ELEVATOR_SCENARIOS])];

export function isScenarioKind(value: string): value is ScenarioKind {
  return (SCENARIO_KINDS as readonly string[]).includes(value);
}

/**
 * Truth kinds the simulator writes beyond the contracts' TRUTH_KINDS: EN 81-28 test calls that stop
 * (not an incident of the car, but the alarm line is unproven). Proposed for addition to the contracts.
 */
export const EXTRA_TRUTH_KINDS = ['test_calls_stopped'] as const;
export const SIM_TRUTH_KINDS: readonly string[] = [...TRUTH_KINDS, ...EXTRA_TRUTH_KINDS];

/** The truth kind each scenario writes (both entrapment variants are one incident kind, told apart by the note). */
export const TRUTH_KIND_OF: Record<ScenarioKind, string> = {
  fall: 'fall',
  fall_in_shower: 'fall_in_shower',
  hospital: 'hospital',
  away: 'away',
  away_unannounced: 'away_unannounced',
  late_rising: 'late_rising',
  tap_running: 'tap_running',
  leak: 'leak',
  fire: 'fire',
  detector_removed: 'detector_removed',
  low_battery: 'low_battery',
  meter_outage: 'meter_outage',
  garbage: 'garbage',
  entrapment: 'entrapment',
  entrapment_outside: 'entrapment',
  door_fault: 'door_fault',
  door_cycling: 'door_cycling',
  overspeed: 'overspeed',
  power_cut: 'power_cut',
  alarm_misuse: 'alarm_misuse',
  test_calls_stop: 'test_calls_stopped',
};

/** One planned incident. Elevator incidents may start later than planned: at the car's next idle moment. */
export interface Scenario {
  kind: ScenarioKind;
  /** Resident or elevator id. */
  subject: string;
  /** The device concerned, for device-level scenarios (outage, battery, garbage, fire...). */
  deviceId?: string;
  start: number;
  end: number;
  /** A label for the scenario's own random choices (variant, flow rate...). */
  key: string;
  /** Late rising: the day (0 = start date) whose wake time is replaced by `end`. */
  day?: number;
}

/** Default length when a scheduled scenario gives none, and the range random ones are drawn from. */
export const DURATIONS: Record<ScenarioKind, { default: number; min: number; max: number }> = {
  fall: { default: 10 * HOUR_MS, min: 3 * HOUR_MS, max: 30 * HOUR_MS },
  fall_in_shower: { default: 3 * HOUR_MS, min: 40 * MINUTE_MS, max: 8 * HOUR_MS },
  hospital: { default: 5 * DAY_MS, min: 2 * DAY_MS, max: 12 * DAY_MS },
  away: { default: 3 * DAY_MS, min: 1 * DAY_MS, max: 10 * DAY_MS },
  away_unannounced: { default: 1 * DAY_MS, min: 10 * HOUR_MS, max: 3 * DAY_MS },
  // The delay past the usual wake time.
  late_rising: { default: 4 * HOUR_MS, min: 2.5 * HOUR_MS, max: 5 * HOUR_MS },
  tap_running: { default: 2 * HOUR_MS, min: 70 * MINUTE_MS, max: 5 * HOUR_MS },
  leak: { default: 2 * DAY_MS, min: 6 * HOUR_MS, max: 4 * DAY_MS },
  fire: { default: 40 * MINUTE_MS, min: 10 * MINUTE_MS, max: 90 * MINUTE_MS },
  detector_removed: { default: 3 * DAY_MS, min: 1 * DAY_MS, max: 10 * DAY_MS },
  // From the low_battery event until the battery is replaced.
  low_battery: { default: 5 * DAY_MS, min: 2 * DAY_MS, max: 12 * DAY_MS },
  meter_outage: { default: 8 * HOUR_MS, min: 3 * HOUR_MS, max: 30 * HOUR_MS },
  garbage: { default: 2 * HOUR_MS, min: 1 * HOUR_MS, max: 4 * HOUR_MS },
  entrapment: { default: 25 * MINUTE_MS, min: 8 * MINUTE_MS, max: 50 * MINUTE_MS },
  entrapment_outside: { default: 25 * MINUTE_MS, min: 8 * MINUTE_MS, max: 50 * MINUTE_MS },
  door_fault: { default: 2 * HOUR_MS, min: 30 * MINUTE_MS, max: 6 * HOUR_MS },
  door_cycling: { default: 5 * MINUTE_MS, min: 2 * MINUTE_MS, max: 15 * MINUTE_MS },
  // One trip; the length is the trip's.
  overspeed: { default: 30_000, min: 30_000, max: 30_000 },
  power_cut: { default: 1 * HOUR_MS, min: 10 * MINUTE_MS, max: 6 * HOUR_MS },
  alarm_misuse: { default: 2 * MINUTE_MS, min: 1 * MINUTE_MS, max: 4 * MINUTE_MS },
  test_calls_stop: { default: 5 * DAY_MS, min: 4 * DAY_MS, max: 10 * DAY_MS },
};

/** Elevator garbage bursts are shorter: the terminal sends far more often than a meter. */
export const ELEVATOR_GARBAGE_DURATION = { default: 10 * MINUTE_MS, min: 5 * MINUTE_MS, max: 20 * MINUTE_MS };

/** Which of a resident's devices a scenario concerns when the spec names only the resident. */
export const DEFAULT_DEVICE_KIND: Partial<Record<ResidentScenarioKind, 'water_meter' | 'smoke_alarm'>> = {
  leak: 'water_meter',
  fire: 'smoke_alarm',
  detector_removed: 'smoke_alarm',
  low_battery: 'smoke_alarm',
  meter_outage: 'water_meter',
  garbage: 'water_meter',
};
