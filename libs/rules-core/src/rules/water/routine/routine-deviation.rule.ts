import type { Alert, CallResult, Outcome } from '@hearthbeat/contracts';
import { CallAlreadyAnsweredError, CallNotFoundError } from '../../../errors';
import type { Kernel } from '../../../core/kernel';
import type { DeviceRuntime, SubjectRuntime } from '../../../core/runtime';
import { formatClockMinutes, formatDuration } from '../../../time/site-time';
import { nextReportDue } from '../no-activity.rule';
import { clockReach, estimateBoundary, learnBounds, summarizeDay, type ClockReach, type RoutineBounds, type RoutineParams } from './routine-learning';
import { DEFAULT_BOUNDARY_MIN, MIN_MS, QUIET_PARTS, SLOT_MS, SLOTS, newRoutineState, quietPartOf, type RoutineCall, type RoutineDay, type RoutineState } from './routine-state';

const RULE = 'water.routine_deviation';
/** Uses up to an hour before the earliest usual rising count as getting up; earlier ones are the night. */
const UP_SLACK_MIN = 60;
/**
 * Up means two uses within an hour: a lone flush just before the usual rising is a night-time toilet
 * visit (the resident goes back to bed), and must not turn a missed morning into a long "quiet spell".
 */
const UP_PAIR_MS = 60 * MIN_MS;
const DAY_MS = 24 * 60 * MIN_MS;
/** Without a site policy (removed while a call was out): the check-in step's default timeout. */
const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** Routine check-in call ids: `RC-<resident id>-<n>` (alert calls are `<alert id>-C<n>`). */
const CALL_ID = /^RC-(.+)-(\d+)$/;

/** The resident a routine check-in call id belongs to, with the call's number; undefined for other ids. */
export function routineCallOf(callId: string): { residentId: string; n: number } | undefined {
  const m = CALL_ID.exec(callId);
  return m ? { residentId: m[1] as string, n: Number(m[2]) } : undefined;
}

/** Outcomes that say the resident was in trouble: a routine alert resolved so was no false alarm. */
const TROUBLE: ReadonlySet<Outcome> = new Set<Outcome>(['rescued', 'emergency_called', 'hospitalised']);

const CALL_RESULT_TEXT: Record<CallResult, string> = {
  answered_well: 'answered; the resident confirmed being well',
  needs_help: 'answered; the resident asked for help',
  no_answer: 'not answered',
  failed: 'could not be made',
};

/** Two uses within UP_PAIR_MS, the first at or after `from`. */
function isUp(uses: readonly number[], from: number): boolean {
  for (let i = uses.length - 1; i >= 1; i--) {
    const b = uses[i] as number;
    const a = uses[i - 1] as number;
    if (a < from) return false;
    if (b - a <= UP_PAIR_MS) return true;
  }
  return false;
}

/** What the routine expects next, and by when (a deadline on reading time). */
export interface RoutineExpectation {
  kind: 'morning' | 'quiet' | 'bed';
  /** One alert per quiet spell: "m:<date>" for a morning, "q:<last use>" for a quiet spell. */
  key: string;
  /** The latest use (start of the quiet spell), if any. */
  since: number | undefined;
  /** Start of the stretch the expectation covers: an absence overlapping [from, due] explains it. */
  from: number;
  due: number;
  bounds: RoutineBounds;
  /** Quiet spells: the part of the day (QUIET_PARTS) the spell started in. */
  part?: number;
  /** Quiet spells with clockQuiet: the longest usual wait for the next use from the spell's start time. */
  reach?: ClockReach;
  /** Quiet spells: the resident answered a check-in call well at this instant; the spell counts from it. */
  answeredAt?: number;
  /** Quiet spells with the site's check-in call step (callFactor): when to ring the resident first. */
  callAt?: number;
  /**
   * After a call answered well, with callAgainAtLimit: the silence since the last use reaches its own
   * usual limit at `at` (`usual` minutes, the longest usual wait from that use), and `callAt` rings then.
   */
  limit?: { at: number; usual: number };
  /** With callMaxMinutes: the call rings at the site's cap on silence, sooner than the usual wait says. */
  capped?: number;
}

/** Learned bounds per day type, recomputed when a day closes, the parameters change or staff teach it. */
/**
 * What a subject's learned days give, until they change (a day closes, the parameters change): the
 * bounds per day type, and the usual wait from each time of day a silence started at. The wait is asked
 * on every reading while a silence lasts; working it out over 28 days of spells each time was the
 * backtest's largest cost.
 */
interface BoundsCache {
  params: RoutineParams;
  historyLen: number;
  weekday: RoutineBounds | null | undefined;
  weekend: RoutineBounds | null | undefined;
  reach: Map<number, ClockReach | null>;
}

/** Times of day remembered per subject (a day has 96 readings; answered calls add a few more). */
const REACH_CACHE_MAX = 256;

/**
 * water.routine_deviation: each resident's own routine, learned from the readings the core ingests
 * (live or replayed, the same code) and kept in the resident's persisted state. Per routine day (from
 * the quietest point of the resident's night to the next) it learns when they get up (first use of a
 * burst), when they go to bed (last use that is not a night-time toilet visit) and their longest quiet
 * spells in between by part of the day, for weekdays and weekends in the site's time zone
 * (routine-learning.ts). After warmupDays learned days it expects, by deadline:
 *  - morning: a first use by the latest usual rising + lateMarginMinutes;
 *  - quiet: once up, a use within the usual wait from that time of day (clockReach: the spells under way
 *    at, or starting near, the same clock time on the learned days) x quietFactor + clockQuietMarginMinutes;
 *    without clockQuiet (or too few days with spells), the longest usual spell of that part of the day
 *    x quietFactor + quietMarginMinutes;
 *  - bed: the usual bedtime uses, by the latest usual bedtime + bedMarginMinutes.
 * A silent morning raises it with no further message. Never while away or awaiting the first use after
 * an away period, never while a meter is offline, once per quiet spell. Days that raised an alert, or
 * that were away or offline, are not learned from, unless staff mark the alert normal (markNormal).
 */
export class RoutineWatch {
  private readonly cache = new WeakMap<SubjectRuntime, BoundsCache>();

  constructor(private readonly k: Kernel) {}

  /** A water use: usage of at least minUseLiters in the reading interval ending at `ts`. */
  onUse(s: SubjectRuntime, ts: number): void {
    const st = this.ensure(s, ts);
    this.roll(s, st, ts);
    this.noteFine(s, st, ts);
    if (ts < st.start) {
      // A late reading for a day already closed: too late to learn; it still ends the quiet spell.
      if (st.lastUse === undefined || ts > st.lastUse) {
        st.lastUse = ts;
        this.k.touch(s);
      }
      return;
    }
    const u = st.uses;
    let i = u.length;
    while (i > 0 && (u[i - 1] as number) > ts) i--;
    if (u[i - 1] === ts) return;
    u.splice(i, 0, ts);
    const t = s.site.time;
    const slot = Math.min(SLOTS - 1, Math.max(0, Math.floor((ts - t.dayStart(ts)) / SLOT_MS)));
    st.slots[slot] = (st.slots[slot] as number) + 1;
    this.k.touch(s);
  }

  /** After a meter's readings changed: start new days as reading time passes them, then re-evaluate. */
  onReadings(s: SubjectRuntime, latestTs: number, at: number): void {
    const st = this.ensure(s, latestTs);
    this.roll(s, st, latestTs);
    this.check(s, at);
  }

  /** A meter of the resident went offline: its day teaches nothing (the silence is the meter's). */
  onMeterOffline(s: SubjectRuntime): void {
    const st = s.state.routine;
    if (!st || st.broken) return;
    st.broken = true;
    this.k.touch(s);
  }

  onTimer(s: SubjectRuntime, at: number): void {
    this.check(s, at);
  }

  /** Staff say this was normal: learn the day as it is and stay quiet for the rest of it. */
  markNormal(s: SubjectRuntime, alert: Alert, at: number): void {
    const st = s.state.routine;
    if (!st || alert.rule !== RULE) return;
    st.normal = true;
    st.quietUntil = Math.max(st.end, at);
    this.k.touch(s);
    this.k.clearTimer(s, 'routine');
  }

  /**
   * Staff resolved a routine alert finding the resident in trouble (TROUBLE): the unanswered calls of that
   * quiet spell were no "miss while fine", even if water ran again before the limit (after a rescue).
   */
  onResolved(s: SubjectRuntime, alert: Alert, outcome: Outcome, at: number): void {
    const st = s.state.routine;
    if (alert.rule !== RULE || !TROUBLE.has(outcome) || !st?.unreached) return;
    const since = alert.timeline[0]?.details?.['since'];
    const from = typeof since === 'number' ? since : alert.openedAt - DAY_MS;
    const kept = st.unreached.filter((t) => t < from || t > at);
    if (kept.length === st.unreached.length) return;
    if (kept.length > 0) st.unreached = kept;
    else delete st.unreached;
    this.k.touch(s);
  }

  /** True once the resident's routine is learned for today's kind of day. */
  isWarm(s: SubjectRuntime): boolean {
    const st = s.state.routine;
    return st !== undefined && this.bounds(s, st, st.weekend) !== undefined;
  }

  /** What is expected next (exposed for tests and explanations); undefined while learning. */
  expectation(s: SubjectRuntime): RoutineExpectation | undefined {
    const st = s.state.routine;
    if (!st) return undefined;
    const p = s.params[RULE];
    const b = this.bounds(s, st, st.weekend);
    if (!b) return undefined;
    const u = st.uses;
    const up = isUp(u, st.date + (b.firstLo - UP_SLACK_MIN) * MIN_MS);
    const latest = u.length > 0 ? (u[u.length - 1] as number) : st.lastUse;
    if (!up) {
      const from = latest !== undefined ? Math.min(latest, st.start) : st.start;
      return { kind: 'morning', key: `m:${st.date}`, since: latest, from, due: st.date + (b.firstHi + p.lateMarginMinutes) * MIN_MS, bounds: b };
    }
    const lastUse = u[u.length - 1] as number;
    // A check-in call answered well after the last use is a sign of life: the quiet spell restarts there.
    const answeredAt = st.alive !== undefined && st.alive > lastUse ? st.alive : undefined;
    const last = answeredAt ?? lastUse;
    const lastMin = (last - st.date) / MIN_MS;
    const minQuiet = p.minQuietMinutes * MIN_MS;
    if (lastMin < b.bedLo - p.bedMarginMinutes) {
      const { part, reach, usual, wait } = this.quietWaitOf(s, st, b, p, lastMin);
      const quietDue = last + Math.max(minQuiet, wait * MIN_MS);
      const bedDue = st.date + (b.lastHi + p.bedMarginMinutes) * MIN_MS;
      // On a tie the bedtime reason says more.
      if (quietDue < bedDue) {
        const e: RoutineExpectation = { kind: 'quiet', key: `q:${last}`, since: lastUse, from: lastUse, due: quietDue, bounds: b, part, ...(reach ? { reach } : {}) };
        if (answeredAt !== undefined) e.answeredAt = answeredAt;
        let callAt = last + Math.max(minQuiet, usual * p.callFactor * MIN_MS);
        let capped: number | undefined;
        if (p.callMaxMinutes > 0 && last + Math.max(minQuiet, p.callMaxMinutes * MIN_MS) < callAt) {
          // The site rings after at most callMaxMinutes of silence, whatever the resident's usual wait.
          callAt = last + Math.max(minQuiet, p.callMaxMinutes * MIN_MS);
          capped = p.callMaxMinutes;
        }
        let limit: RoutineExpectation['limit'];
        if (answeredAt !== undefined && p.callAgainAtLimit) {
          // Fine when answering, but the silence since the last use still counts: once it passes its
          // own usual limit, ring again (not sooner than a retry after the answer; once per spell).
          const since = this.quietWaitOf(s, st, b, p, (lastUse - st.date) / MIN_MS);
          const at = lastUse + Math.max(minQuiet, since.wait * MIN_MS);
          const again = Math.max(at, answeredAt + p.callRetryMinutes * MIN_MS);
          if (at > answeredAt && again < callAt) {
            callAt = again;
            limit = { at, usual: since.usual };
            capped = undefined;
          }
        }
        if (notRinging(s) === undefined && callAt < quietDue) {
          e.callAt = callAt;
          if (limit) e.limit = limit;
          if (capped !== undefined) e.capped = capped;
        }
        return e;
      }
      return { kind: 'bed', key: `q:${last}`, since: lastUse, from: lastUse, due: Math.max(bedDue, last + minQuiet), bounds: b };
    }
    // Possibly the last use of the day: the next one expected is tomorrow's rising.
    const t = s.site.time;
    const nextDate = t.nextDayStart(st.date);
    const nb = this.bounds(s, st, t.isWeekend(nextDate + DAY_MS / 2));
    if (!nb) return undefined;
    return { kind: 'morning', key: `m:${nextDate}`, since: last, from: last, due: nextDate + (nb.firstHi + p.lateMarginMinutes) * MIN_MS, bounds: nb };
  }

  /**
   * The voice gateway's result for a routine check-in call (RulesCore.callResult routes `RC-` ids here).
   * `answered_well`: a sign of life; the quiet spell restarts from the answer (no alert). Anything else, or
   * no result by the timeout: the routine alert is raised at once, saying so. A repeat of the applied
   * result is a no-op; an answer for an older call, or after the timeout, is recorded only (`late`); a
   * different answer after the gateway already answered is refused.
   */
  callResult(s: SubjectRuntime, callId: string, n: number, result: CallResult, at: number): void {
    const st = s.state.routine;
    const call = st?.call;
    if (!st || !call || n > (st.callSeq ?? 0)) throw new CallNotFoundError(callId);
    if (call.id !== callId) {
      // An older call of this resident: a later one superseded it. Evidence only, unless a call for help.
      this.emitCall(s, undefined, 'late', at, { id: callId, result });
      if (result === 'needs_help') this.lateHelp(s, st, callId, at);
      return;
    }
    if (call.result !== undefined) {
      if (!call.timedOut && call.result === result) return;
      if (call.late === result) return;
      if (!call.timedOut || call.late !== undefined) throw new CallAlreadyAnsweredError(callId, call.late ?? call.result);
      call.late = result;
      this.k.touch(s);
      this.emitCall(s, call, 'late', at, { id: callId, result });
      if (result === 'needs_help') this.lateHelp(s, st, callId, at);
      return;
    }
    this.settle(s, st, call, result, at, false);
    this.check(s, at);
  }

  /** Whether the routine still waits for this call's result (the engine stops sending a request that is not). */
  callAwaited(s: SubjectRuntime, callId: string): boolean {
    const call = s.state.routine?.call;
    return call !== undefined && call.id === callId && call.result === undefined;
  }

  // ---- internals -------------------------------------------------------------------------------

  private settle(s: SubjectRuntime, st: RoutineState, call: RoutineCall, result: CallResult, at: number, timedOut: boolean): void {
    call.result = result;
    call.resultAt = at;
    if (timedOut) call.timedOut = true;
    if (result === 'answered_well') st.alive = at;
    else if (result !== 'needs_help') {
      // Decided when the call is settled, so that the spell's outcome does not change with later learning.
      const p = s.params[RULE];
      if (p.callDoubtAfter > 0 && unreachedNear(s, st, p, at) >= p.callDoubtAfter) call.doubted = true;
      else delete call.doubted;
    }
    this.k.touch(s);
    this.emitCall(s, call, 'result', at, { id: call.id, result, ...(timedOut ? { timedOut } : {}) });
  }

  /**
   * A use after an unanswered check-in call, before the quiet spell's usual limit: the resident was fine
   * and just did not answer (out with only a landline, did not hear it). Counted once per spell.
   */
  private noteFine(s: SubjectRuntime, st: RoutineState, ts: number): void {
    const call = st.call;
    if (!call || call.fine || call.due === undefined || ts <= call.placedAt || ts > call.due) return;
    if (call.result === undefined || call.result === 'answered_well' || call.result === 'needs_help') return;
    call.fine = true;
    (st.unreached ??= []).push(call.firstAt);
    this.k.touch(s);
  }

  private place(s: SubjectRuntime, st: RoutineState, e: RoutineExpectation, now: number, previous?: RoutineCall): RoutineCall {
    const n = (st.callSeq ?? 0) + 1;
    st.callSeq = n;
    const call: RoutineCall = {
      id: `RC-${s.ref.id}-${n}`,
      key: e.key,
      attempt: (previous?.attempt ?? 0) + 1,
      firstAt: previous?.firstAt ?? now,
      placedAt: now,
      timeoutAt: now + (s.site.checkIn?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS),
      due: e.due,
    };
    if (e.since !== undefined) call.since = e.since;
    st.call = call;
    this.k.touch(s);
    this.emitCall(s, call, 'placed', now, { id: call.id }, callReasonOf(s, e, now, previous));
    return call;
  }

  /**
   * `call`: the call the event is about; undefined for a late answer to an older call (the core keeps only
   * the latest call, so the event has no times).
   */
  private emitCall(s: SubjectRuntime, call: RoutineCall | undefined, change: 'placed' | 'result' | 'late', at: number, what: { id: string; result?: CallResult; timedOut?: boolean }, reason?: string): void {
    const t = s.site.time;
    const acted = what.result === 'needs_help' ? 'acted on' : 'recorded only';
    const text =
      reason ?? (what.result ? `check-in call ${CALL_RESULT_TEXT[what.result]}${what.timedOut ? ' (no result in time)' : ''}${change === 'late' ? ` (late: ${acted})` : ''}` : `check-in call at ${t.hm(call?.placedAt ?? at)}`);
    const times = call ? { placedAt: call.placedAt, timeoutAt: call.timeoutAt } : undefined;
    const outcome = { ...(what.result ? { result: what.result } : {}), ...(what.timedOut ? { timedOut: true } : {}) };
    const head = { type: 'check_call', at, subject: { ...s.ref }, site: s.site.id, rule: RULE, callId: what.id, reason: text } as const;
    if (change === 'late') this.k.emit({ ...head, change, ...times, ...outcome });
    else if (times) this.k.emit({ ...head, change, ...times, ...outcome });
  }

  /**
   * The resident asked for help, answering after the call was settled (or superseded): whatever the
   * rule decided meanwhile, somebody must go now. A critical routine alert (an open one is raised to
   * critical), which does not ring the resident again.
   */
  private lateHelp(s: SubjectRuntime, st: RoutineState, callId: string, at: number): void {
    const meter = s.devices.find((d) => d.kind === 'water_meter' && d.state.online) ?? s.devices.find((d) => d.kind === 'water_meter');
    if (!meter) return;
    if (st.call) st.latch = st.call.key;
    this.k.touch(s);
    this.k.clearTimer(s, 'routine');
    const reason = `the resident asked for help on check-in call ${callId}, answering at ${s.site.time.hm(at)} after the call was settled`;
    this.k.book.raise(s, meter, RULE, at, reason, { callId, callResult: 'needs_help', late: true }, 'critical');
  }

  private check(s: SubjectRuntime, now: number): void {
    const st = s.state.routine;
    const p = s.params[RULE];
    const e = st && p.enabled ? this.expectation(s) : undefined;
    if (!st || !e || st.latch === e.key || (st.quietUntil !== undefined && now < st.quietUntil) || this.k.away.suppressesNoActivity(s, now) || awayBetween(s, e.from, e.due)) {
      this.k.clearTimer(s, 'routine');
      return;
    }
    // Reading time must have passed the deadline on every online meter (with none online, nothing fires).
    let covered = Number.POSITIVE_INFINITY;
    let horizon = 0;
    let meter: DeviceRuntime | undefined;
    for (const d of s.devices) {
      if (d.kind !== 'water_meter' || !d.state.online) continue;
      const w = d.state.water;
      covered = Math.min(covered, w && w.ts.length > 0 ? (w.ts[w.ts.length - 1] as number) : Number.NEGATIVE_INFINITY);
      horizon = Math.max(horizon, nextReportDue(d));
      meter ??= d;
    }
    if (!meter) {
      this.k.clearTimer(s, 'routine');
      return;
    }
    // As water.no_activity: the deadline waits for the meter's next report (a reading may still show a
    // use before it); a report that is overdue, from a meter not yet offline, is taken as "no use".
    const reached = (due: number) => (covered >= due ? due : Math.max(due, horizon));
    // A check-in call first (callFactor): its answer decides whether the alert is raised now or not at all.
    const call = st.call?.key === e.key ? st.call : undefined;
    if (call && call.result === undefined) {
      if (now < call.timeoutAt) {
        this.k.setTimer(s, 'routine', call.timeoutAt);
        return;
      }
      this.settle(s, st, call, 'no_answer', now, true);
    }
    if (call && call.result !== 'answered_well') {
      // Nobody answered: ring again callRetryMinutes later (callAttempts in all) before raising, unless
      // the usual limit comes first. A call for help is never retried.
      const fireAt = reached(e.due);
      if (call.result !== 'needs_help' && call.attempt < p.callAttempts && now < fireAt) {
        const retryAt = (call.resultAt ?? now) + p.callRetryMinutes * MIN_MS;
        if (now >= retryAt) this.k.setTimer(s, 'routine', this.place(s, st, e, now, call).timeoutAt);
        else this.k.setTimer(s, 'routine', Math.min(retryAt, fireAt));
        return;
      }
      // A resident who often misses calls while fine (callDoubtAfter): the silence is judged by the usual limit.
      if (call.doubted && call.result !== 'needs_help' && now < fireAt) {
        this.k.setTimer(s, 'routine', fireAt);
        return;
      }
      this.fire(s, st, meter, e, now, call);
      return;
    }
    if (!call && e.callAt !== undefined) {
      const callAt = reached(e.callAt);
      if (now >= callAt) this.k.setTimer(s, 'routine', this.place(s, st, e, now).timeoutAt);
      else this.k.setTimer(s, 'routine', callAt);
      return;
    }
    const fireAt = reached(e.due);
    if (now >= fireAt) this.fire(s, st, meter, e, now);
    else this.k.setTimer(s, 'routine', fireAt);
  }

  private fire(s: SubjectRuntime, st: RoutineState, meter: DeviceRuntime, e: RoutineExpectation, now: number, call?: RoutineCall): void {
    this.k.clearTimer(s, 'routine');
    st.latch = e.key;
    st.skip = { ...st.skip, ...(e.kind === 'morning' ? { first: true } : e.kind === 'bed' ? { last: true } : { quiet: true }) };
    this.k.touch(s);
    const t = s.site.time;
    const when = call && call.attempt > 1 ? `s at ${t.hm(call.firstAt)} and ${t.hm(call.placedAt)}` : ` at ${t.hm(call?.placedAt ?? now)}`;
    const doubted = call?.doubted ? `, as often before while fine (${doubtText(s, st, call.resultAt ?? now)})` : '';
    const called = call?.result ? `; check-in call${when} ${CALL_RESULT_TEXT[call.result]}${call.timedOut ? ' (no result in time)' : ''}${doubted}${cappedText(e)}` : '';
    // The call already rang the resident: the alert goes to staff without ringing again (check-in-call.ts).
    this.k.book.raise(
      s,
      meter,
      RULE,
      now,
      `${reasonOf(s, e, now)}${called}`,
      {
        kind: e.kind,
        due: e.due,
        ...(e.since !== undefined ? { since: e.since } : {}),
        days: e.bounds.days,
        ...(call?.result ? { callId: call.id, callResult: call.result } : {}),
      },
      call?.result === 'needs_help' ? 'critical' : undefined,
    );
  }

  private ensure(s: SubjectRuntime, ts: number): RoutineState {
    let st = s.state.routine;
    if (!st) {
      const t = s.site.time;
      const b = DEFAULT_BOUNDARY_MIN * MIN_MS;
      const date = t.dayStart(ts - b);
      st = newRoutineState(date, date + b, t.nextDayStart(date) + b, t.isWeekend(date + DAY_MS / 2));
      s.state.routine = st;
      this.k.touch(s);
    }
    return st;
  }

  /** Closes every routine day that reading time has left behind. */
  private roll(s: SubjectRuntime, st: RoutineState, ts: number): void {
    if (ts < st.end) return;
    const p = s.params[RULE];
    const t = s.site.time;
    while (ts >= st.end) {
      this.close(s, st, p);
      const date = t.nextDayStart(st.date);
      st.date = date;
      st.start = st.end;
      // Never shorter than half a day, even when the learned boundary moves.
      st.end = Math.max(st.start + DAY_MS / 2, t.nextDayStart(date) + st.boundary * MIN_MS);
      st.weekend = t.isWeekend(date + DAY_MS / 2);
      if (ts - st.end > p.historyDays * DAY_MS) {
        // Months of silence (a meter unplugged): start afresh from the day of `ts`.
        st.history = [];
        st.date = t.dayStart(ts - st.boundary * MIN_MS);
        st.start = st.date + st.boundary * MIN_MS;
        st.end = t.nextDayStart(st.date) + st.boundary * MIN_MS;
        st.weekend = t.isWeekend(st.date + DAY_MS / 2);
        st.broken = true;
      }
    }
    this.k.touch(s);
  }

  private close(s: SubjectRuntime, st: RoutineState, p: RoutineParams): void {
    const away = s.state.away.some((a) => a.from < st.end && a.to > st.start);
    if (!st.broken && !away) {
      // A lone use after a quiet evening is bedtime while it is within the usual bedtime window.
      const b = this.bounds(s, st, st.weekend);
      const sum = summarizeDay(st.uses, st.date, b ? b.lastHi + p.bedMarginMinutes : undefined);
      const skip = st.normal ? {} : (st.skip ?? {});
      const day: RoutineDay = { date: st.date, weekend: st.weekend, ...(st.normal ? { normal: true } : {}) };
      // A partial day (left, came back) teaches nothing, unless staff said it was normal.
      const whole = sum.first !== undefined && (sum.partial !== true || st.normal === true);
      if (whole && !skip.first) day.first = sum.first;
      if (whole && sum.last !== undefined && !skip.last) day.last = sum.last;
      if (whole && sum.quiet !== undefined && !skip.quiet) {
        day.quiet = sum.quiet;
        if (sum.quietBy) day.quietBy = sum.quietBy;
        if (sum.spells) day.spells = sum.spells;
      }
      if (day.first !== undefined || day.last !== undefined || day.quiet !== undefined) st.history.push(day);
    }
    const oldest = st.date - (p.historyDays - 1) * DAY_MS;
    while (st.history.length > 0 && (st.history[0] as RoutineDay).date < oldest) st.history.shift();
    if (st.unreached) {
      const kept = st.unreached.filter((t) => t >= oldest);
      if (kept.length > 0) st.unreached = kept;
      else delete st.unreached;
    }
    if (st.uses.length > 0) st.lastUse = st.uses[st.uses.length - 1];
    // Old habits fade: the night's quietest point follows the last few weeks.
    const keep = 1 - 1 / p.historyDays;
    for (let i = 0; i < SLOTS; i++) st.slots[i] = Math.round((st.slots[i] as number) * keep * 1000) / 1000;
    st.boundary = estimateBoundary(st.slots);
    st.uses = [];
    delete st.broken;
    delete st.skip;
    delete st.normal;
    delete st.alive;
    if (st.quietUntil !== undefined && st.quietUntil <= st.end) delete st.quietUntil;
    // A meter that is offline now keeps the new day from teaching anything either.
    if (s.devices.some((d) => d.kind === 'water_meter' && !d.state.online)) st.broken = true;
    this.cache.delete(s);
  }

  private cached(s: SubjectRuntime, st: RoutineState): BoundsCache {
    const p = s.params[RULE];
    let c = this.cache.get(s);
    if (!c || c.params !== p || c.historyLen !== st.history.length) {
      c = { params: p, historyLen: st.history.length, weekday: undefined, weekend: undefined, reach: new Map() };
      this.cache.set(s, c);
    }
    return c;
  }

  private bounds(s: SubjectRuntime, st: RoutineState, weekend: boolean): RoutineBounds | undefined {
    const p = s.params[RULE];
    const c = this.cached(s, st);
    const key = weekend ? 'weekend' : 'weekday';
    let b = c[key];
    if (b === undefined) {
      b = learnBounds(st.history, weekend, p) ?? null;
      c[key] = b;
    }
    return b ?? undefined;
  }

  /**
   * The usual wait, in minutes, after a use at `fromMin` (minutes after the routine day's date): from this
   * time of day the resident usually used water again within `reach` (clockQuiet), else the longest usual
   * spell starting in this part of the day; `wait` adds quietFactor and the margin.
   */
  private quietWaitOf(s: SubjectRuntime, st: RoutineState, b: RoutineBounds, p: RoutineParams, fromMin: number): { part: number; reach: ClockReach | undefined; usual: number; wait: number } {
    const part = quietPartOf(fromMin);
    const reach = p.clockQuiet ? this.reachOf(s, st, p, fromMin) : undefined;
    const usual = reach ? reach.reach : (b.quietBy[part] ?? b.quiet);
    const wait = usual * p.quietFactor + (reach ? p.clockQuietMarginMinutes : p.quietMarginMinutes);
    return { part, reach, usual, wait };
  }

  private reachOf(s: SubjectRuntime, st: RoutineState, p: RoutineParams, fromMin: number): ClockReach | undefined {
    const memo = this.cached(s, st).reach;
    let r = memo.get(fromMin);
    if (r === undefined) {
      r = clockReach(st.history, fromMin, p) ?? null;
      if (memo.size >= REACH_CACHE_MAX) memo.clear();
      memo.set(fromMin, r);
    }
    return r ?? undefined;
  }
}

/** Why a long daytime silence would not ring the resident first (the first reason that applies). */
export type NotRinging = 'site_step_off' | 'no_phone' | 'routine_off' | 'calls_off';

/** Undefined when the routine rings this resident before it alerts on a quiet spell; else why not. */
export function notRinging(s: SubjectRuntime): NotRinging | undefined {
  if (s.site.checkIn?.rules.has(RULE) !== true) return 'site_step_off';
  if (!s.callable.resident) return 'no_phone';
  const p = s.params[RULE];
  if (!p.enabled) return 'routine_off';
  return p.callFactor > 0 ? undefined : 'calls_off';
}

/** What the check-in call request says (the gateway may read it out, staff see it in the gateway). */
function callReasonOf(s: SubjectRuntime, e: RoutineExpectation, now: number, previous?: RoutineCall): string {
  const t = s.site.time;
  const since = e.since ?? now;
  const limit = limitText(s, e, now);
  const usual = e.reach && !limit ? `; from ${t.hm(e.answeredAt ?? since)} the next use usually came within ${formatDuration(e.reach.reach * MIN_MS)}` : '';
  const answered = limit || (e.answeredAt !== undefined ? `; answered a check-in call at ${t.hm(e.answeredAt)}` : '');
  const again = previous ? `; the call at ${t.hm(previous.placedAt)} was ${CALL_RESULT_TEXT[previous.result ?? 'no_answer']}, ringing again` : '';
  return `no water used since ${t.when(since, now)} (${formatDuration(now - since)})${answered}${usual}${cappedText(e)}${again}: checking on the resident before raising an alert`;
}

/** "; this site rings after 3.5 h of silence at most" when the site's cap (callMaxMinutes) timed the call; else "". */
function cappedText(e: RoutineExpectation): string {
  return e.capped === undefined ? '' : `; this site rings after ${formatDuration(e.capped * MIN_MS)} of silence at most`;
}

/**
 * A call again at the spell's usual limit (callAgainAtLimit), once that passed: "; from 12:00 the next use
 * usually came within 2 h (limit 14:45 passed); answered a check-in call at 14:00 before it"; else "".
 */
function limitText(s: SubjectRuntime, e: RoutineExpectation, now: number): string {
  if (!e.limit || now < e.limit.at || e.since === undefined || e.answeredAt === undefined) return '';
  const t = s.site.time;
  return `; from ${t.hm(e.since)} the next use usually came within ${formatDuration(e.limit.usual * MIN_MS)} (limit ${t.hm(e.limit.at)} passed); answered a check-in call at ${t.hm(e.answeredAt)} before it`;
}

/**
 * Unanswered calls of a resident who was fine (RoutineState.unreached) within historyDays before `at`,
 * and with callDoubtWindowMinutes only those placed within that much of `at`'s clock time (outings are
 * habits: the market every morning says nothing about an unanswered call in the afternoon).
 */
function unreachedNear(s: SubjectRuntime, st: RoutineState, p: RoutineParams, at: number): number {
  const from = at - p.historyDays * DAY_MS;
  const t = s.site.time;
  const clock = (x: number) => (x - t.dayStart(x)) / MIN_MS;
  const c = clock(at);
  let n = 0;
  for (const u of st.unreached ?? []) {
    if (u < from || u > at) continue;
    if (p.callDoubtWindowMinutes > 0) {
      const d = Math.abs(clock(u) - c);
      if (Math.min(d, 1440 - d) > p.callDoubtWindowMinutes) continue;
    }
    n++;
  }
  return n;
}

/** "2 unanswered calls within 2.5 h of this time of day in the last 28 days, water ran again each time". */
function doubtText(s: SubjectRuntime, st: RoutineState, at: number): string {
  const p = s.params[RULE];
  const n = unreachedNear(s, st, p, at);
  const scope = p.callDoubtWindowMinutes > 0 ? ` within ${formatDuration(p.callDoubtWindowMinutes * MIN_MS)} of this time of day` : '';
  return `${n} unanswered call${n === 1 ? '' : 's'}${scope} in the last ${p.historyDays} days, water ran again each time`;
}

/** An absence overlapping the quiet spell explains it (e.g. the morning passed while the resident was away). */
function awayBetween(s: SubjectRuntime, from: number, to: number): boolean {
  for (const a of s.state.away) if (a.from < to && a.to > from) return true;
  return false;
}

/** The alert's reason: what was expected (learned, with its basis) and what happened, in site time. */
function reasonOf(s: SubjectRuntime, e: RoutineExpectation, now: number): string {
  const t = s.site.time;
  const b = e.bounds;
  const kindOfDays = b.typed ? (t.isWeekend(now) ? 'weekend days' : 'weekdays') : 'days';
  const last = e.since !== undefined ? `last use ${t.when(e.since, now)}` : 'no use recorded yet';
  switch (e.kind) {
    case 'morning':
      return `first water use usually ${formatClockMinutes(b.firstLo)}-${formatClockMinutes(b.firstHi)} (learned from ${b.days} ${kindOfDays}); now ${t.hm(now)} and none yet (${last})`;
    case 'bed':
      return `last water use before bed usually ${formatClockMinutes(b.lastLo)}-${formatClockMinutes(b.lastHi)} (learned from ${b.days} ${kindOfDays}); none since ${t.when(e.since ?? now, now)} (${formatDuration(now - (e.since ?? now))})`;
    case 'quiet': {
      const since = e.since ?? now;
      if (e.reach) {
        const r = e.reach;
        const basis = r.trimmed > 0 ? `the longest on ${r.days - r.trimmed} of ${r.days} learned days` : `the longest on ${r.days} learned days`;
        const limit = limitText(s, e, now);
        if (limit) return `no water used since ${t.when(since, now)} (${formatDuration(now - since)})${limit}`;
        const answered = e.answeredAt !== undefined ? `; answered a check-in call at ${t.hm(e.answeredAt)}` : '';
        return `no water used since ${t.when(since, now)} (${formatDuration(now - since)})${answered}; from ${t.hm(e.answeredAt ?? since)} the next use usually came within ${formatDuration(r.reach * MIN_MS)} (${basis})`;
      }
      const part = e.part ?? 0;
      const usual = b.quietBy[part] ?? b.quiet;
      return `no water used since ${t.when(e.since ?? now, now)} (${formatDuration(now - (e.since ?? now))}); usual quiet spells starting in the ${QUIET_PARTS[part]?.name ?? 'day'}: up to ${formatDuration(usual * MIN_MS)} (last ${b.quietDays} days)`;
    }
  }
}
