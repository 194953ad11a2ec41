import type { RuleId } from '@hearthbeat/contracts';

/**
 * Which rules detect which incident kind (truth.jsonl kinds, devices-sim). An incident is detected by
 * the first alert opened on its subject by one of these rules within [start, end + grace]. The learned
 * routine and the fixed no-activity rule both count for every "silent home" kind; kinds mapped to no
 * rule must stay quiet (their alerts are reported, not scored as detections).
 */
export const INCIDENT_RULES: Readonly<Record<string, readonly RuleId[]>> = {
  fall: ['water.routine_deviation', 'water.no_activity'],
  fall_in_shower: ['water.continuous_flow', 'water.routine_deviation', 'water.no_activity'],
  hospital: ['water.routine_deviation', 'water.no_activity'],
  away_unannounced: ['water.routine_deviation', 'water.no_activity'],
  late_rising: ['water.routine_deviation', 'water.no_activity'],
  tap_running: ['water.continuous_flow', 'water.high_use'],
  leak: ['water.leak', 'water.continuous_flow', 'water.high_use'],
  fire: ['smoke.alarm'],
  detector_removed: ['smoke.tamper', 'smoke.offline'],
  low_battery: ['device.low_battery', 'smoke.offline', 'water.meter_offline'],
  meter_outage: ['water.meter_offline'],
  entrapment: ['elevator.entrapment'],
  door_fault: ['elevator.door_lock_fault', 'elevator.door_held_open'],
  door_cycling: ['elevator.door_cycling'],
  overspeed: ['elevator.overspeed'],
  power_cut: ['elevator.power_lost'],
  test_calls_stopped: ['elevator.test_call_missing'],
  // Announced absences, harmless alarm presses and corrupted payloads: nothing should fire.
  away: [],
  alarm_misuse: [],
  garbage: [],
};

/** The "silent home" alerts whose false alarms the goal counts (domain.md: absence and late rising). */
export const NO_ACTIVITY_RULES: readonly RuleId[] = ['water.no_activity', 'water.routine_deviation'];

/** Falls of both kinds: every one must be detected. */
export const FALL_KINDS = ['fall', 'fall_in_shower'] as const;

export function rulesFor(kind: string): readonly string[] {
  return INCIDENT_RULES[kind] ?? [];
}
