import type { Alert } from '@hearthbeat/contracts';
import type { Kernel } from '../../../core/kernel';
import type { DeviceRuntime, SubjectRuntime } from '../../../core/runtime';
import { formatClockMinutes, formatDuration } from '../../../time/site-time';
import { nextReportDue } from '../no-activity.rule';
import { clockReach, estimateBoundary, learnBounds, summarizeDay, type ClockReach, type RoutineBounds, type RoutineParams } from './routine-learning';
import { DEFAULT_BOUNDARY_MIN, MIN_MS, QUIET_PARTS, SLOT_MS, SLOTS, newRoutineState, quietPartOf, type RoutineDay, type RoutineState } from './routine-state';

const RULE = 'water.routine_deviation';
/** Uses up to an hour before the earliest usual rising count as getting up; earlier ones are the night. */
const UP_SLACK_MIN = 60;
/**
 * Up means two uses within an hour: a lone flush just before the usual rising is a night-time toilet
 * visit (the resident goes back to bed), and must not turn a missed morning into a long "quiet spell".
 */
const UP_PAIR_MS = 60 * MIN_MS;
const DAY_MS = 24 * 60 * MIN_MS;

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
}

/** Learned bounds per day type, recomputed when a day closes, the parameters change or staff teach it. */
interface BoundsCache {
  params: RoutineParams;
  historyLen: number;
  weekday: RoutineBounds | null | undefined;
  weekend: RoutineBounds | null | undefined;
}

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
    const last = u[u.length - 1] as number;
    const lastMin = (last - st.date) / MIN_MS;
    const minQuiet = p.minQuietMinutes * MIN_MS;
    if (lastMin < b.bedLo - p.bedMarginMinutes) {
      const part = quietPartOf(lastMin);
      // From this time of day the resident usually used water again within `reach` (clockQuiet), else
      // the longest usual spell starting in this part of the day.
      const reach = p.clockQuiet ? clockReach(st.history, lastMin, p) : undefined;
      const wait = reach ? reach.reach * p.quietFactor + p.clockQuietMarginMinutes : (b.quietBy[part] ?? b.quiet) * p.quietFactor + p.quietMarginMinutes;
      const quietDue = last + Math.max(minQuiet, wait * MIN_MS);
      const bedDue = st.date + (b.lastHi + p.bedMarginMinutes) * MIN_MS;
      // On a tie the bedtime reason says more.
      if (quietDue < bedDue) return { kind: 'quiet', key: `q:${last}`, since: last, from: last, due: quietDue, bounds: b, part, ...(reach ? { reach } : {}) };
      return { kind: 'bed', key: `q:${last}`, since: last, from: last, due: Math.max(bedDue, last + minQuiet), bounds: b };
    }
    // Possibly the last use of the day: the next one expected is tomorrow's rising.
    const t = s.site.time;
    const nextDate = t.nextDayStart(st.date);
    const nb = this.bounds(s, st, t.isWeekend(nextDate + DAY_MS / 2));
    if (!nb) return undefined;
    return { kind: 'morning', key: `m:${nextDate}`, since: last, from: last, due: nextDate + (nb.firstHi + p.lateMarginMinutes) * MIN_MS, bounds: nb };
  }

  // ---- internals -------------------------------------------------------------------------------

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
    const fireAt = covered >= e.due ? e.due : Math.max(e.due, horizon);
    if (now >= fireAt) this.fire(s, st, meter, e, now);
    else this.k.setTimer(s, 'routine', fireAt);
  }

  private fire(s: SubjectRuntime, st: RoutineState, meter: DeviceRuntime, e: RoutineExpectation, now: number): void {
    this.k.clearTimer(s, 'routine');
    st.latch = e.key;
    st.skip = { ...st.skip, ...(e.kind === 'morning' ? { first: true } : e.kind === 'bed' ? { last: true } : { quiet: true }) };
    this.k.touch(s);
    this.k.book.raise(s, meter, RULE, now, reasonOf(s, e, now), {
      kind: e.kind,
      due: e.due,
      ...(e.since !== undefined ? { since: e.since } : {}),
      days: e.bounds.days,
    });
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
    if (st.uses.length > 0) st.lastUse = st.uses[st.uses.length - 1];
    // Old habits fade: the night's quietest point follows the last few weeks.
    const keep = 1 - 1 / p.historyDays;
    for (let i = 0; i < SLOTS; i++) st.slots[i] = Math.round((st.slots[i] as number) * keep * 1000) / 1000;
    st.boundary = estimateBoundary(st.slots);
    st.uses = [];
    delete st.broken;
    delete st.skip;
    delete st.normal;
    if (st.quietUntil !== undefined && st.quietUntil <= st.end) delete st.quietUntil;
    // A meter that is offline now keeps the new day from teaching anything either.
    if (s.devices.some((d) => d.kind === 'water_meter' && !d.state.online)) st.broken = true;
    this.cache.delete(s);
  }

  private bounds(s: SubjectRuntime, st: RoutineState, weekend: boolean): RoutineBounds | undefined {
    const p = s.params[RULE];
    let c = this.cache.get(s);
    if (!c || c.params !== p || c.historyLen !== st.history.length) {
      c = { params: p, historyLen: st.history.length, weekday: undefined, weekend: undefined };
      this.cache.set(s, c);
    }
    const key = weekend ? 'weekend' : 'weekday';
    let b = c[key];
    if (b === undefined) {
      b = learnBounds(st.history, weekend, p) ?? null;
      c[key] = b;
    }
    return b ?? undefined;
  }
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
        return `no water used since ${t.when(since, now)} (${formatDuration(now - since)}); from ${t.hm(since)} the next use usually came within ${formatDuration(r.reach * MIN_MS)} (${basis})`;
      }
      const part = e.part ?? 0;
      const usual = b.quietBy[part] ?? b.quiet;
      return `no water used since ${t.when(e.since ?? now, now)} (${formatDuration(now - (e.since ?? now))}); usual quiet spells starting in the ${QUIET_PARTS[part]?.name ?? 'day'}: up to ${formatDuration(usual * MIN_MS)} (last ${b.quietDays} days)`;
    }
  }
}
