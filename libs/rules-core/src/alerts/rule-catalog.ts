import type { RuleId, Severity } from '@hearthbeat/contracts';

/**
 * How each rule's alerts behave. Severities follow domain.md ("immediate, critical" for smoke and
 * moving with the door open; entrapment is the elevator emergency); the safety list is the brief's:
 * those alerts close only when a person confirms (domain.md "Staff workflow after an alert").
 */
export interface RuleSpec {
  /** Severity when the rule fires (overspeed raises itself to critical at criticalFactor). */
  severity: Severity;
  /** Only a person may resolve it; the condition clearing only adds evidence to the timeline. */
  safety: boolean;
  /** The condition clearing resolves it (outcome auto_cleared) after cooldownS without a relapse. */
  autoClear: boolean;
  /** The alert's subject is the device itself rather than its resident or elevator. */
  deviceSubject: boolean;
  /** One open alert per (subject, rule, device) instead of per (subject, rule): a resident with two
   *  detectors has two independent offline conditions, each resolving on its own. */
  perDevice: boolean;
}

const spec = (severity: Severity, o: Partial<Omit<RuleSpec, 'severity'>> = {}): RuleSpec => ({
  severity,
  safety: false,
  autoClear: false,
  deviceSubject: false,
  perDevice: false,
  ...o,
});

export const RULE_SPECS: Record<RuleId, RuleSpec> = {
  'water.no_activity': spec('high', { safety: true }),
  'water.continuous_flow': spec('high', { safety: true }),
  'water.high_use': spec('medium'),
  'water.meter_offline': spec('medium', { autoClear: true, perDevice: true }),
  'water.leak': spec('high', { perDevice: true }),
  'water.meter_fault': spec('medium', { perDevice: true }),
  'water.away_return_missing': spec('high', { safety: true }),
  'water.routine_deviation': spec('high', { safety: true }),
  'smoke.alarm': spec('critical', { safety: true }),
  'smoke.fault': spec('medium', { perDevice: true }),
  'smoke.tamper': spec('medium', { autoClear: true, perDevice: true }),
  'smoke.offline': spec('medium', { autoClear: true, perDevice: true }),
  'device.low_battery': spec('low', { autoClear: true, deviceSubject: true, perDevice: true }),
  'elevator.entrapment': spec('critical', { safety: true }),
  'elevator.stopped_outside_door_zone': spec('high', { autoClear: true }),
  'elevator.moving_with_door_open': spec('critical', { safety: true }),
  'elevator.door_held_open': spec('medium', { autoClear: true }),
  'elevator.door_cycling': spec('medium'),
  'elevator.overspeed': spec('high'),
  'elevator.power_lost': spec('high', { autoClear: true }),
  'elevator.safety_circuit': spec('high'),
  'elevator.overrun': spec('high'),
  'elevator.door_lock_fault': spec('high'),
  'elevator.test_call_missing': spec('medium', { autoClear: true }),
  'elevator.offline': spec('medium', { autoClear: true }),
};

export const SAFETY_RULES: readonly RuleId[] = (Object.keys(RULE_SPECS) as RuleId[]).filter((r) => RULE_SPECS[r].safety);
