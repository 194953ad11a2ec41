import { z } from 'zod';
import { RULE_IDS, type RuleId } from './rules';

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

/**
 * What happened on an alert, one entry per step. Entries are append-only and never edited, and their
 * `n` runs 0, 1, 2, ... so that a later issue can chain them with hashes (hash(n) = H(hash(n-1), entry)).
 * `by` is a user id, "system" (the rules) or "call" (reserved for automated check-in calls).
 */
export const TIMELINE_ACTIONS = [
  'opened',
  'triggered',
  'severity_raised',
  'evidence',
  'condition_cleared',
  'acknowledged',
  'assigned',
  'commented',
  'escalated',
  'reminder',
  'resolved',
  'reopened',
  'marked_normal',
  // The automated check-in call steps of the escalation chain (docs/field-workflow.md).
  'call_placed',
  'call_result',
  // A person arrived at the door or the lift (response-time accounting).
  'on_site',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];
export type TimelineDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface TimelineEntry {
  /** Position in the timeline, from 0. */
  readonly n: number;
  readonly at: number;
  /** A user id, "system" or "call". */
  readonly by: string;
  readonly action: TimelineAction;
  readonly note?: string;
  readonly details?: TimelineDetails;
}
export const SYSTEM_ACTOR = 'system';
export const CALL_ACTOR = 'call';

/** One alert as the rules core keeps it, the engine stores it and the API serves it. */
export interface Alert {
  id: string;
  rule: RuleId;
  state: AlertState;
  severity: Severity;
  subject: SubjectRef;
  site: string;
  deviceId?: string;
  openedAt: number;
  lastSeenAt: number;
  /** How many times the condition triggered (1 when opened). */
  count: number;
  /** A human-readable sentence with the evidence, times in the site's time zone. */
  reason: string;
  assignee?: string;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  resolvedAt?: number;
  resolvedBy?: string;
  outcome?: Outcome;
  /** When the alert was last re-opened (escalation restarts from here). */
  reopenedAt?: number;
  /** 0 until the first escalation tier fires. */
  escalationLevel: number;
  /** Pending deadlines, kept on the alert so that a restart can rebuild them. */
  nextEscalationAt?: number;
  nextReminderAt?: number;
  /** A device alert whose condition cleared resolves itself at this time unless it triggers again. */
  autoClearAt?: number;
  /** When a person first reported being on site (at the door, at the lift) in this episode, and who. */
  onSiteAt?: number;
  onSiteBy?: string;
  /** Automated check-in calls placed for this alert, oldest first (docs/field-workflow.md). */
  calls?: AlertCall[];
  /** Pending deadline: the awaited call counts as not answered at this time. */
  callTimeoutAt?: number;
  /**
   * When the check-in call phase ended without the resident confirming they are well: the staff chain
   * started here, so escalation tiers count from this instant instead of the opening.
   */
  escalationFrom?: number;
  timeline: TimelineEntry[];
}

/** Kinds of alert change events (pushed live, written to the backtest's alert file when the state changes). */
export const ALERT_CHANGES = [
  'opened',
  'updated',
  'acknowledged',
  'assigned',
  'commented',
  'escalated',
  'reminder',
  'resolved',
  'reopened',
  // Field workflow (docs/field-workflow.md): a check-in call placed or answered, a person on site.
  'call_placed',
  'call_result',
  'on_site',
] as const;
export type AlertChange = (typeof ALERT_CHANGES)[number];

/**
 * Escalation of unacknowledged alerts, per severity: tiers measured from the opening (or re-opening),
 * each naming whom to reach next (a user role today; a later issue adds "call" steps), and reminders
 * repeating until somebody acknowledges. domain.md suggests critical after 5 min and high after 15 min.
 */
export const escalationTierSchema = z.object({
  afterS: z.int().min(0).max(30 * 24 * 3600),
  target: z.string().min(1).max(64),
});
export const escalationLevelSchema = z.object({
  tiers: z.array(escalationTierSchema).max(10),
  /** 0 switches reminders off. */
  reminderEveryS: z.int().min(0).max(7 * 24 * 3600),
});
export const escalationPolicySchema = z
  .object({
    critical: escalationLevelSchema.partial(),
    high: escalationLevelSchema.partial(),
    medium: escalationLevelSchema.partial(),
    low: escalationLevelSchema.partial(),
  })
  .partial()
  .strict();
export type EscalationTier = z.infer<typeof escalationTierSchema>;
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;
export type EscalationPolicyInput = z.infer<typeof escalationPolicySchema>;
export type EscalationPolicy = Record<Severity, EscalationLevel>;

export const DEFAULT_ESCALATION: EscalationPolicy = {
  // domain.md: "critical after 5 min"; a regulation rescuer must be on site within 30 min for entrapment.
  critical: { tiers: [{ afterS: 300, target: 'supervisor' }, { afterS: 900, target: 'admin' }], reminderEveryS: 120 },
  // domain.md: "high after 15 min".
  high: { tiers: [{ afterS: 900, target: 'supervisor' }, { afterS: 3600, target: 'admin' }], reminderEveryS: 600 },
  // Maintenance tickets: a daily nudge, no paging.
  medium: { tiers: [{ afterS: 24 * 3600, target: 'supervisor' }], reminderEveryS: 0 },
  low: { tiers: [], reminderEveryS: 0 },
};

/** Merges escalation layers over the defaults, the most specific last; tiers are kept sorted by afterS. */
export function resolveEscalationPolicy(...layers: (EscalationPolicyInput | undefined)[]): EscalationPolicy {
  const out: EscalationPolicy = { ...DEFAULT_ESCALATION };
  for (const layer of layers) {
    if (!layer) continue;
    for (const sev of SEVERITIES) {
      const o = layer[sev];
      if (o) out[sev] = { ...out[sev], ...o };
    }
  }
  for (const sev of SEVERITIES) out[sev] = { ...out[sev], tiers: [...out[sev].tiers].sort((a, b) => a.afterS - b.afterS) };
  return out;
}

// ---- automated check-in calls (docs/field-workflow.md) ----------------------------------------------

/**
 * What a voice gateway reports back: the resident confirmed they are well, asked for help, did not
 * answer, or the call could not be made. Only `answered_well` on the resident's own call closes an alert.
 */
export const CALL_RESULTS = ['answered_well', 'needs_help', 'no_answer', 'failed'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];
/** Whom a call step reaches: the resident, or (second step) their family contacts. */
export const CALL_STEPS = ['resident', 'family'] as const;
export type CallStep = (typeof CALL_STEPS)[number];

export interface AlertCall {
  /** `<alertId>-C<k>`: unique, deterministic (the core has no randomness), named in the callback URL. */
  id: string;
  step: CallStep;
  placedAt: number;
  /** No result by then counts as `no_answer`. */
  timeoutAt: number;
  result?: CallResult;
  resultAt?: number;
  /** "call" (the gateway reported it) or "system" (the timeout). */
  resultBy?: string;
  /** A result that arrived after the call stopped being awaited (timed out, alert resolved): recorded only, except a call for help (the alert raised to critical). */
  late?: { result: CallResult; at: number };
}

/**
 * A site's check-in call step (the policy part; the gateway URL and secret are the engine's, kept out of
 * the rules). `rules` defaults to the resident's water safety rules: the silent-home alerts that a
 * phone call can settle. A fire (`smoke.alarm`) is not checked by phone first unless a site lists it.
 */
export const checkInCallPolicySchema = z
  .object({
    enabled: z.boolean(),
    /** Seconds to wait for the gateway's result before treating the call as not answered. */
    timeoutS: z.int().min(1).max(3600).default(120),
    rules: z.array(z.enum(RULE_IDS)).max(50).optional(),
    /** Second step: call the resident's family contacts when the resident's own call fails. */
    family: z.object({ enabled: z.boolean(), timeoutS: z.int().min(1).max(3600).default(180) }).strict().optional(),
  })
  .strict();
export type CheckInCallPolicyInput = z.input<typeof checkInCallPolicySchema>;
export type CheckInCallPolicy = z.output<typeof checkInCallPolicySchema>;

/** Regulations expect a rescuer at a trapped passenger within 30 minutes (domain.md). */
export const ENTRAPMENT_RESCUE_TARGET_S = 30 * 60;

/** Colour order, from calm to urgent. */
export const RISK_RANK: Record<RiskColour, number> = { green: 0, blue: 1, yellow: 2, orange: 3, red: 4 };
