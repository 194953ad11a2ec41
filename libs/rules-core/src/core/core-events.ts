import type { Alert, AlertChange, CallResult, DeviceKind, RiskColour, RuleId, SubjectRef, TimelineEntry } from '@hearthbeat/contracts';
import type { AwayEntry } from '../state/subject-state';

/** An alert changed; `alert` is a copy taken at the change, `entry` the timeline entry it appended. */
export interface AlertEvent {
  type: 'alert';
  change: AlertChange;
  at: number;
  alert: Alert;
  entry: TimelineEntry;
  /** Escalations and reminders: whom to reach (a role, later "call"). */
  target?: string;
}

export interface RiskEvent {
  type: 'risk';
  at: number;
  subject: SubjectRef;
  site: string;
  colour: RiskColour;
  previous: RiskColour;
  reason: string;
}

/** First water use after an away period (domain.md: a "welcome back" check). */
export interface WelcomeBackEvent {
  type: 'welcome_back';
  at: number;
  subject: SubjectRef;
  site: string;
  deviceId: string;
  /** Reading time of the first use and how much it was. */
  usedAt: number;
  liters: number;
  awayId: string;
  message: string;
}

export interface DeviceHealthEvent {
  type: 'device';
  at: number;
  deviceId: string;
  kind: DeviceKind;
  owner: SubjectRef;
  site: string;
  change: 'online' | 'offline' | 'battery_low' | 'battery_ok';
  online: boolean;
  lastSeenAt?: number;
  batteryPct?: number;
}

export interface AwayEvent {
  type: 'away';
  at: number;
  subject: SubjectRef;
  site: string;
  change: 'added' | 'ended' | 'expired' | 'removed';
  away: AwayEntry;
  by: string;
}

/** A person marked an alert as normal for this subject: the hook for learned routines. */
export interface MarkedNormalEvent {
  type: 'marked_normal';
  at: number;
  subject: SubjectRef;
  site: string;
  rule: RuleId;
  alertId: string;
  by: string;
  note: string;
}

/**
 * A check-in call a rule places before it raises any alert (water.routine_deviation: a quiet spell
 * unusually long, docs/field-workflow.md "Calls before an alert"): `placed` (the engine sends the request
 * to the site's voice gateway), `result` (the gateway's answer, or `timedOut` by the core's deadline) and
 * `late` (an answer for a call no longer awaited: recorded, never acted on). No alert exists yet; one is
 * raised at once when the call goes unanswered.
 */
interface CheckCallBase {
  type: 'check_call';
  at: number;
  subject: SubjectRef;
  site: string;
  rule: RuleId;
  callId: string;
  /** Why the resident is rung, in the site's time: what the voice may read out. */
  reason: string;
  result?: CallResult;
  timedOut?: boolean;
}

/**
 * A check-in call a rule placed before any alert: `placed`, its `result`, or a `late` answer (after the
 * call was settled, or for an older call a newer one superseded: that one has no `placedAt`/`timeoutAt`,
 * the core keeps only the latest call of a resident).
 */
export type CheckCallEvent = CheckCallBase & ({ change: 'placed' | 'result'; placedAt: number; timeoutAt: number } | { change: 'late'; placedAt?: number; timeoutAt?: number });

export type CoreEvent = AlertEvent | RiskEvent | WelcomeBackEvent | DeviceHealthEvent | AwayEvent | MarkedNormalEvent | CheckCallEvent;
