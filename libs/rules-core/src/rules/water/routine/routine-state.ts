import type { CallResult } from '@hearthbeat/contracts';

/**
 * The learned daily routine of one resident (water.routine_deviation), persisted in the resident's
 * SubjectState as plain JSON so that it survives restarts and is learned identically live and in the
 * backtest. Clock values are minutes after the local midnight of a routine day's date (a bedtime after
 * midnight is above 1440); times are reading times (ms), never receive times.
 */

/** One closed routine day: what it teaches. A value is absent when that part of the day is not learned. */
export interface RoutineDay {
  /** Local midnight (ms) of the day's date. */
  date: number;
  weekend: boolean;
  /** The first use that starts the day (a cluster of uses: getting up), minutes after midnight. */
  first?: number;
  /** The last use that ends the day (going to bed), minutes after midnight. */
  last?: number;
  /** The longest quiet spell between `first` and `last`, minutes. */
  quiet?: number;
  /**
   * The longest quiet spell starting in each part of the day (QUIET_PARTS: morning, afternoon, evening),
   * minutes; null when none started there. Outings make mornings quieter than afternoons.
   */
  quietBy?: (number | null)[];
  /**
   * The day's quiet spells of at least SPELL_MIN minutes between rising and bedtime, as flattened
   * [start, end] pairs (minutes after midnight, ascending): how long the resident stayed without water
   * from any time of that day (clockReach). Absent on days learned before it was kept.
   */
  spells?: number[];
  /** Staff marked the day's alert normal: its values are authoritative (never trimmed as outliers). */
  normal?: boolean;
}

/** Parts of the day for quiet spells, by the local clock time a spell starts: [00:00, 12:00), [12:00, 17:00), later. */
export const QUIET_PARTS = [
  { name: 'morning', until: 12 * 60 },
  { name: 'afternoon', until: 17 * 60 },
  { name: 'evening', until: Number.POSITIVE_INFINITY },
] as const;

export function quietPartOf(clockMin: number): number {
  let i = 0;
  while (clockMin >= QUIET_PARTS[i]!.until) i++;
  return i;
}

/** Parts of the current day that raised an alert: not learned from unless staff mark the alert normal. */
export interface RoutineSkips {
  first?: boolean;
  last?: boolean;
  quiet?: boolean;
}

export interface RoutineState {
  /** The current routine day: [start, end) as instants, for the local date whose midnight is `date`. */
  date: number;
  start: number;
  end: number;
  weekend: boolean;
  /** Reading times of the water uses in the current routine day, ascending. */
  uses: number[];
  /** The latest use before the current routine day (a quiet spell may span the night). */
  lastUse?: number;
  /** The current day is not learned from: partial (listening began), away, or a meter went offline. */
  broken?: boolean;
  skip?: RoutineSkips;
  /** Staff marked a routine alert of the current day as normal: the day is learned as it is. */
  normal?: boolean;
  /** Closed days, oldest first, within historyDays. */
  history: RoutineDay[];
  /** Uses per 15-minute slot of the local day, decayed daily: where the night's quietest point lies. */
  slots: number[];
  /** Where routine days begin, minutes after local midnight (learned from `slots`). */
  boundary: number;
  /** The quiet spell that already alerted ("m:<date>" a morning, "q:<use ts>" a quiet spell). */
  latch?: string;
  /** After markNormal: no routine alert before this instant (the end of that routine day). */
  quietUntil?: number;
  /** The routine's latest check-in call (callFactor), awaited while it has no result. */
  call?: RoutineCall;
  /** Calls placed so far for this resident: the next call id's number. */
  callSeq?: number;
  /** The resident answered a check-in call well at this instant: a sign of life the quiet spell restarts from. */
  alive?: number;
  /**
   * When check-in calls went unanswered although the resident was fine (water ran again before the quiet
   * spell's usual limit: out with only a landline, did not hear it), within historyDays, ascending.
   * From callDoubtAfter of them on, an unanswered call no longer raises the alert before that limit.
   */
  unreached?: number[];
}

/** A check-in call placed for a quiet spell (`key`, as `latch`) before any alert. */
export interface RoutineCall {
  id: string;
  key: string;
  /** 1 for the first call of the quiet spell, 2 for the retry after it went unanswered... */
  attempt: number;
  /** The first attempt's time (the reason names it). */
  firstAt: number;
  placedAt: number;
  timeoutAt: number;
  /** The latest use when it was placed (the reason's "since"). */
  since?: number;
  result?: CallResult;
  resultAt?: number;
  timedOut?: boolean;
  /** A different answer after the call was settled (recorded once). */
  late?: CallResult;
  /** The quiet spell's usual limit when the call was placed (the expectation's due). */
  due?: number;
  /** Unanswered, and the resident used water before `due`: counted once in `unreached`. */
  fine?: boolean;
  /** Settled unanswered while the resident often misses calls (callDoubtAfter): the alert waits for `due`. */
  doubted?: boolean;
}

export const SLOTS = 96;
export const SLOT_MS = 15 * 60_000;
export const MIN_MS = 60_000;
/** Before anything is learned, days begin at 03:00: after most bedtimes, before most risings. */
export const DEFAULT_BOUNDARY_MIN = 180;

export function newRoutineState(date: number, start: number, end: number, weekend: boolean): RoutineState {
  return { date, start, end, weekend, uses: [], history: [], slots: new Array<number>(SLOTS).fill(0), boundary: DEFAULT_BOUNDARY_MIN, broken: true };
}
