import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Higher is more urgent. */
export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Outcomes a person (or an automated check-in call) records when resolving. */
export const OUTCOMES = [
  'safe',
  'away',
  'hospitalised',
  'emergency_called',
  'device_fault',
  'false_alarm',
  'rescued',
  'repaired',
  'no_fault_found',
  'auto_cleared',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SUBJECT_TYPES = ['resident', 'elevator', 'device'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export interface SubjectRef {
  type: SubjectType;
  id: string;
}

export const RISK_COLOURS = ['green', 'blue', 'yellow', 'orange', 'red'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];

const subjectSchema = z.object({ type: z.enum(SUBJECT_TYPES), id: z.string().min(1) });

/** protocol.md, "Alerts written by a backtest, one state change a line". */
export const alertFileLineSchema = z.object({
  t: z.int().min(0),
  alertId: z.string().min(1),
  rule: z.string().min(1),
  state: z.enum(ALERT_STATES),
  severity: z.enum(SEVERITIES),
  subject: subjectSchema,
  deviceId: z.string().optional(),
  reason: z.string(),
  outcome: z.enum(OUTCOMES).optional(),
});
export type AlertFileLine = z.infer<typeof alertFileLineSchema>;
