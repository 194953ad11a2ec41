import { CALL_ACTOR, CALL_RESULTS, SYSTEM_ACTOR, RULE_IDS, type Alert, type AlertCall, type CallResult, type CallStep, type CheckInCallPolicyInput } from '@hearthbeat/contracts';
import { CallAlreadyAnsweredError, CallNotFoundError, InvalidInputError } from '../errors';
import type { Kernel } from '../core/kernel';
import type { AlertRuntime, CheckInRuntime } from '../core/runtime';
import type { AlertBook } from './alert-book';
import { RULE_SPECS } from './rule-catalog';

const DEFAULT_TIMEOUT_S = 120;
const DEFAULT_FAMILY_TIMEOUT_S = 180;

/**
 * The rules a check-in call settles by default: the resident's water safety rules (a silent home, a
 * running tap, no return after an absence, a broken routine). Shanghai's programmes ring the resident
 * before sending someone for exactly these. A fire is not checked by phone first unless a site says so.
 */
export const DEFAULT_CALL_RULES: readonly string[] = RULE_IDS.filter((r) => r.startsWith('water.') && RULE_SPECS[r].safety);

/** Resolves a site's policy; undefined when the step is off. */
export function resolveCheckIn(policy: CheckInCallPolicyInput | undefined): CheckInRuntime | undefined {
  if (!policy?.enabled) return undefined;
  const out: CheckInRuntime = { rules: new Set(policy.rules ?? DEFAULT_CALL_RULES), timeoutMs: (policy.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000 };
  if (policy.family?.enabled) out.family = { timeoutMs: (policy.family.timeoutS ?? DEFAULT_FAMILY_TIMEOUT_S) * 1000 };
  return out;
}

/** A gateway's result must be one of CALL_RESULTS (alert calls and rules' check calls alike). */
export function assertCallResult(result: string): asserts result is CallResult {
  if (!(CALL_RESULTS as readonly string[]).includes(result)) throw new InvalidInputError(`result must be one of ${CALL_RESULTS.join(', ')}`);
}

/** The call the alert is waiting for, if any (its timeout is armed and it has no result yet). */
export function awaitedCall(a: Alert): AlertCall | undefined {
  const last = a.calls?.[a.calls.length - 1];
  return last && last.result === undefined && a.callTimeoutAt !== undefined ? last : undefined;
}

/** The resident's own call is still awaited: the staff chain has not started, so tiers are held. */
export function inCallPhase(a: Alert): boolean {
  return awaitedCall(a)?.step === 'resident';
}

const RESULT_TEXT: Record<CallResult, string> = {
  answered_well: 'answered and confirmed being well',
  needs_help: 'answered and asked for help',
  no_answer: 'not answered',
  failed: 'could not be made',
};

/**
 * Automated check-in calls, the optional first step of a resident alert's escalation chain
 * (domain.md: Shanghai programmes ring the resident with an automated voice call before sending
 * someone). The core only decides: it places a call (a `call_placed` entry the engine turns into a
 * signed request to the site's voice gateway), arms a timeout DEADLINE on the alert (persisted as
 * `callTimeoutAt`, so it survives a restart like every other deadline) and applies the result:
 *  - `answered_well` on the resident's own call resolves the alert with outcome `safe`, by `call`: the
 *    one way a safety alert closes without a person at the door, because the resident themself answered;
 *  - `needs_help` (from anybody, however late) raises the alert to critical;
 *  - `needs_help`, `no_answer`, `failed`, or no result before the timeout, hand the alert to the staff
 *    chain at once (`escalated` to `staff`; tiers then count from that instant) and, when configured,
 *    ring the family contacts as a second step. A family member's answer is recorded, never acted on:
 *    only the resident's own word, or a person's visit, closes a safety alert.
 * Acknowledging does not cancel an awaited call; resolving does (its result is then recorded as late).
 */
export class CheckInCalls {
  constructor(
    private readonly k: Kernel,
    private readonly book: AlertBook,
  ) {}

  /** Whether an opening (or re-opening) of this alert starts with a call to the resident. */
  applies(ar: AlertRuntime): boolean {
    const policy = ar.site?.checkIn;
    const a = ar.alert;
    // A rule that rang the resident itself before raising (water.routine_deviation's callFactor) says so
    // in the opening entry: the resident was just called, so the alert goes straight to staff.
    if (typeof a.timeline[a.timeline.length - 1]?.details?.['callId'] === 'string') return false;
    return policy !== undefined && a.subject.type === 'resident' && policy.rules.has(a.rule) && ar.risk?.callable.resident === true;
  }

  place(ar: AlertRuntime, at: number, step: CallStep): void {
    const policy = ar.site?.checkIn;
    const timeoutMs = step === 'resident' ? policy?.timeoutMs : policy?.family?.timeoutMs;
    if (timeoutMs === undefined) return;
    const a = ar.alert;
    const calls = (a.calls ??= []);
    const call: AlertCall = { id: `${a.id}-C${calls.length + 1}`, step, placedAt: at, timeoutAt: at + timeoutMs };
    calls.push(call);
    this.k.setTimer(ar, 'call', call.timeoutAt);
    const note = step === 'resident' ? 'automated check-in call to the resident' : 'automated call to the family contacts';
    this.book.append(ar, at, SYSTEM_ACTOR, 'call_placed', note, { callId: call.id, step, timeoutS: Math.round(timeoutMs / 1000) });
    this.book.changed(ar, 'call_placed', at);
  }

  /**
   * The gateway's result for a call. A repeat of the result already applied is a retry or a replay:
   * nothing happens. A result for a call no longer awaited (timed out, alert resolved) is recorded once
   * as late evidence and acted on never, except a call for help (lateHelp). A different result after the
   * gateway already answered is refused.
   */
  result(callId: string, result: CallResult, at: number, note?: string): void {
    assertCallResult(result);
    if (note !== undefined && (typeof note !== 'string' || note.length > 2000)) throw new InvalidInputError('note must be a string of at most 2000 characters');
    const ar = this.alertOf(callId);
    const call = ar?.alert.calls?.find((c) => c.id === callId);
    if (!ar || !call) throw new CallNotFoundError(callId);
    const a = ar.alert;
    if (a.state === 'resolved' || awaitedCall(a) !== call) {
      if (call.resultBy === CALL_ACTOR && call.result === result) return;
      if (call.late) {
        if (call.late.result === result) return;
        throw new CallAlreadyAnsweredError(callId, call.late.result);
      }
      if (call.resultBy === CALL_ACTOR) throw new CallAlreadyAnsweredError(callId, call.result);
      call.late = { result, at };
      const acted = result !== 'needs_help' ? 'recorded only' : a.state === 'resolved' ? 'acted on: raised again' : a.severity === 'critical' ? 'the alert is already critical' : 'acted on: raised to critical';
      this.book.append(ar, at, CALL_ACTOR, 'call_result', note ?? `late result: ${RESULT_TEXT[result]} (${acted})`, { callId, step: call.step, result, late: true });
      this.book.changed(ar, 'call_result', at);
      if (result === 'needs_help') this.lateHelp(ar, call, at);
      return;
    }
    call.result = result;
    call.resultAt = at;
    call.resultBy = CALL_ACTOR;
    this.k.clearTimer(ar, 'call');
    this.book.append(ar, at, CALL_ACTOR, 'call_result', note ?? `${call.step === 'resident' ? 'resident' : 'family'} call ${RESULT_TEXT[result]}`, { callId, step: call.step, result });
    this.book.changed(ar, 'call_result', at);
    this.decide(ar, call, result, at);
  }

  /** Whether the alert still waits for this call's result (the engine stops sending a request that is not). */
  awaited(callId: string): boolean {
    const ar = this.alertOf(callId);
    return ar !== undefined && ar.alert.state !== 'resolved' && awaitedCall(ar.alert)?.id === callId;
  }

  /** Call ids are `<alert id>-C<n>`. */
  private alertOf(callId: string): AlertRuntime | undefined {
    return this.k.alerts.get(callId.replace(/-C\d+$/, ''));
  }

  /** No result before the deadline: counted as not answered. */
  onTimeout(ar: AlertRuntime, at: number): void {
    const a = ar.alert;
    const call = a.calls?.[a.calls.length - 1];
    if (!call || call.result !== undefined || a.state === 'resolved') return;
    call.result = 'no_answer';
    call.resultAt = at;
    call.resultBy = SYSTEM_ACTOR;
    const waitedS = Math.round((call.timeoutAt - call.placedAt) / 1000);
    this.book.append(ar, at, SYSTEM_ACTOR, 'call_result', `no result within ${waitedS} s: counted as not answered`, { callId: call.id, step: call.step, result: 'no_answer', timedOut: true });
    this.book.changed(ar, 'call_result', at);
    this.decide(ar, call, 'no_answer', at);
  }

  private decide(ar: AlertRuntime, call: AlertCall, result: CallResult, at: number): void {
    // Anybody asking for help makes the alert critical; only the resident's own word closes it.
    if (result === 'needs_help') this.book.raiseSeverity(ar, at, 'critical', `${whoOf(call)} asked for help on the check-in call`, { callId: call.id });
    // The family step only informs the people already on it: a relative's word does not close a safety alert.
    if (call.step !== 'resident') return;
    if (result === 'answered_well') {
      this.book.resolveByCall(ar, at, 'the resident confirmed on the check-in call that they are well');
      return;
    }
    const a = ar.alert;
    if (a.state === 'open') {
      a.escalationFrom = at;
      this.book.append(ar, at, SYSTEM_ACTOR, 'escalated', `check-in call ${RESULT_TEXT[result]}: escalated to staff`, {
        level: a.escalationLevel,
        target: 'staff',
        callId: call.id,
        result,
      });
      this.book.escalation.start(ar, at);
      this.book.changed(ar, 'escalated', at, 'staff');
    }
    if (ar.site?.checkIn?.family && ar.risk?.callable.family) this.place(ar, at, 'family');
  }

  /**
   * A call for help that came after the call was settled (timed out, superseded, or the alert resolved):
   * however late, somebody must go. An alert still open or acknowledged is raised to critical; a resolved
   * one is raised again, critical (re-opened within the rule's cooldown, else a new alert), without
   * ringing the resident again.
   */
  private lateHelp(ar: AlertRuntime, call: AlertCall, at: number): void {
    const a = ar.alert;
    const why = `${whoOf(call)} asked for help on check-in call ${call.id}, answering after the call was settled`;
    if (a.state !== 'resolved') {
      this.book.raiseSeverity(ar, at, 'critical', why, { callId: call.id, late: true });
      return;
    }
    const owner = ar.risk;
    if (!owner) return;
    const dev = a.deviceId !== undefined ? owner.devices.find((d) => d.id === a.deviceId) : undefined;
    const resolved = `alert ${a.id} had been resolved${a.outcome ? ` as ${a.outcome}` : ''}`;
    this.book.raise(owner, dev, a.rule, at, `${why} (${resolved})`, { callId: call.id, callResult: 'needs_help', late: true }, 'critical');
  }
}

const whoOf = (call: AlertCall): string => (call.step === 'resident' ? 'the resident' : 'a family contact');
