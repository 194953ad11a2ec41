import { formatClockMinutes } from '../../../time/site-time';
import { learnBounds, type RoutineBounds, type RoutineParams } from './routine-learning';
import type { RoutineExpectation } from './routine-deviation.rule';
import { DEFAULT_BOUNDARY_MIN, QUIET_PARTS, SLOTS, type RoutineState } from './routine-state';

/** A learned day type as staff read it: clock times in the site's zone, spells in minutes. */
export interface RoutineBoundsView {
  /** Days it was learned from. */
  days: number;
  /** Learned from days of the same type (weekdays or weekends); else from all days. */
  sameDayType: boolean;
  firstUse: { from: string; to: string };
  lastUse: { from: string; to: string };
  longestQuietMin: number;
  longestQuietByPart: Record<(typeof QUIET_PARTS)[number]['name'], number>;
}

/** What the learned routine (water.routine_deviation) knows of one resident: GET /api/residents/:id/routine. */
export interface RoutineSummary {
  enabled: boolean;
  /** `off`: the rule is disabled; `learning`: fewer than warmupDays learned days; `learned`. */
  status: 'off' | 'learning' | 'learned';
  learnedDays: number;
  warmupDays: number;
  /** Where the resident's routine days begin (the quietest point of their night). */
  dayStartsAt: string;
  weekday: RoutineBoundsView | null;
  weekend: RoutineBoundsView | null;
  /**
   * The next thing the rule waits for, and by when (epoch ms); null while learning or off. `callAt`: when
   * the resident is rung first (a check-in call) if no water by then; absent when no call comes first or
   * one was already placed for this silence.
   */
  expecting: { kind: RoutineExpectation['kind']; due: number; since?: number; callAt?: number } | null;
  /** Learned water uses per 15-minute slot of the local day (96 values, decayed daily): the day's shape. */
  profile: number[];
  /** Learned days that staff marked normal. */
  markedNormalDays: number;
  /**
   * Check-in calls the resident missed while fine (unanswered, then water before the limit) in the last
   * historyDays; from callDoubtAfter of them on, an unanswered call waits for the usual limit.
   */
  missedCalls: number;
}

export function summarizeRoutine(st: RoutineState | undefined, p: RoutineParams, expectation: RoutineExpectation | undefined): RoutineSummary {
  const history = st?.history ?? [];
  const learnedDays = history.filter((d) => d.first !== undefined).length;
  const weekday = learnBounds(history, false, p);
  const weekend = learnBounds(history, true, p);
  const status = !p.enabled ? 'off' : weekday || weekend ? 'learned' : 'learning';
  return {
    enabled: p.enabled,
    status,
    learnedDays,
    warmupDays: p.warmupDays,
    dayStartsAt: formatClockMinutes(st?.boundary ?? DEFAULT_BOUNDARY_MIN),
    weekday: weekday ? view(weekday) : null,
    weekend: weekend ? view(weekend) : null,
    expecting: p.enabled && expectation ? expectingOf(st, expectation) : null,
    profile: st ? st.slots.map((v) => Math.round(v * 1000) / 1000) : new Array<number>(SLOTS).fill(0),
    markedNormalDays: history.filter((d) => d.normal).length,
    missedCalls: st?.unreached?.length ?? 0,
  };
}

function expectingOf(st: RoutineState | undefined, e: RoutineExpectation): NonNullable<RoutineSummary['expecting']> {
  const call = e.callAt !== undefined && st?.call?.key !== e.key ? { callAt: e.callAt } : {};
  return { kind: e.kind, due: e.due, ...(e.since !== undefined ? { since: e.since } : {}), ...call };
}

function view(b: RoutineBounds): RoutineBoundsView {
  const byPart = Object.fromEntries(QUIET_PARTS.map((q, i) => [q.name, Math.round(b.quietBy[i] ?? b.quiet)])) as RoutineBoundsView['longestQuietByPart'];
  return {
    days: b.days,
    sameDayType: b.typed,
    firstUse: { from: formatClockMinutes(b.firstLo), to: formatClockMinutes(b.firstHi) },
    lastUse: { from: formatClockMinutes(b.lastLo), to: formatClockMinutes(b.lastHi) },
    longestQuietMin: Math.round(b.quiet),
    longestQuietByPart: byPart,
  };
}
