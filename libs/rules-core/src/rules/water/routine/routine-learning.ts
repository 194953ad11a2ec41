import type { RuleParams } from '@hearthbeat/contracts';
import { DEFAULT_BOUNDARY_MIN, MIN_MS, QUIET_PARTS, SLOTS, quietPartOf, type RoutineDay } from './routine-state';

export type RoutineParams = RuleParams<'water.routine_deviation'>;

/**
 * Getting up is a burst of uses (toilet, washing, breakfast): the first use followed by at least two
 * more within an hour. A lone night-time flush is not getting up, so it does not start the day.
 */
const FIRST_CLUSTER = 3;
const CLUSTER_MS = 60 * MIN_MS;
/**
 * Going to bed is the last use before the night, but a lone use (nothing within an hour either side)
 * after three quiet hours is a night-time toilet visit, not bedtime. (Bedtime itself is often a single
 * reading interval: toilet and washing within the same 15 minutes.)
 */
const NIGHT_VISIT_GAP_MS = 3 * 60 * MIN_MS;
/** Fewer uses than this in a whole routine day is not a routine day (hospital, away, meter trouble). */
export const MIN_USES_PER_DAY = 3;
/**
 * Less than this between rising and bedtime was not a whole day at home (left for a few days in the
 * afternoon, came back from hospital, fell ill): such a day's rising, bedtime and quiet spells would
 * teach the wrong things.
 */
export const MIN_DAY_SPAN_MIN = 8 * 60;
/** Quiet spells kept per day for clockReach (shorter waits are below any quiet limit: minQuietMinutes >= 15). */
export const SPELL_MIN = 15;

/**
 * What one day of uses (reading times, ascending) teaches; clock values in minutes after `midnight`.
 * `partial` marks a day shorter than MIN_DAY_SPAN_MIN from rising to bedtime. Rising is the first use
 * starting a burst (FIRST_CLUSTER uses within an hour), else the first use; bedtime the last use that
 * is not a night-time visit.
 */
export function summarizeDay(uses: readonly number[], midnight: number, bedBy?: number): Omit<RoutineDay, 'date' | 'weekend'> & { partial?: boolean } {
  const n = uses.length;
  if (n < MIN_USES_PER_DAY) return {};
  let fi = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    const limit = (uses[i] as number) + CLUSTER_MS;
    for (let j = i; j < n && (uses[j] as number) <= limit; j++) c++;
    if (c >= FIRST_CLUSTER) {
      fi = i;
      break;
    }
  }
  let li = n - 1;
  while (li > fi) {
    const u = uses[li] as number;
    const before = u - (uses[li - 1] as number);
    const after = li + 1 < n ? (uses[li + 1] as number) - u : Number.POSITIVE_INFINITY;
    if (before < NIGHT_VISIT_GAP_MS || after <= CLUSTER_MS) break;
    // Within the usual bedtime window it is going to bed after a quiet evening, not a night-time visit.
    if (bedBy !== undefined && u <= midnight + bedBy * MIN_MS) break;
    li--;
  }
  const first = uses[fi] as number;
  const last = uses[li] as number;
  let quiet = 0;
  const quietBy: (number | null)[] = QUIET_PARTS.map(() => null);
  const spells: number[] = [];
  for (let i = fi + 1; i <= li; i++) {
    const gap = ((uses[i] as number) - (uses[i - 1] as number)) / MIN_MS;
    quiet = Math.max(quiet, gap);
    const from = ((uses[i - 1] as number) - midnight) / MIN_MS;
    const part = quietPartOf(from);
    quietBy[part] = Math.max(quietBy[part] ?? 0, gap);
    if (gap > SPELL_MIN) spells.push(from, from + gap);
  }
  const out = { first: (first - midnight) / MIN_MS, last: (last - midnight) / MIN_MS, quiet, quietBy, spells };
  return last - first < MIN_DAY_SPAN_MIN * MIN_MS ? { ...out, partial: true } : out;
}

/** What the history says about a day of one type: the usual first and last uses, the longest quiet spell. */
export interface RoutineBounds {
  /** Days that taught the first/last bounds, and whether they are of the day's own type. */
  days: number;
  typed: boolean;
  firstLo: number;
  firstHi: number;
  lastLo: number;
  lastHi: number;
  /** Days that taught the quiet spell (all types pooled: quiet spells hardly depend on the weekday). */
  quietDays: number;
  quiet: number;
  /** The longest usual quiet spell starting in each part of the day (QUIET_PARTS), or `quiet` where too few. */
  quietBy: number[];
  /**
   * The earliest usual bedtime with bedTrimDays of the earliest dropped: a use before it (less
   * bedMarginMinutes) is not taken for going to bed. One early night must not make every evening's
   * silence look like bedtime.
   */
  bedLo: number;
}

/**
 * Learns the bounds for a day of type `weekend`, or undefined while fewer than warmupDays days taught
 * anything. Risings and bedtimes come from days of the same type when there are minDaysPerType of them,
 * else from all days; quiet spells from all days. trimDays of the earliest risings and of the latest
 * bedtimes are dropped (as long as three remain): those are the bounds odd nights distort. A burst of
 * flushes at 02:00 is not rising, and must not make night-time flushes count as getting up for four
 * weeks; a night-time toilet visit that looks like bedtime (flush and hand wash split over two readings)
 * must not push the bedtime deadline to 03:00. The other bounds are not trimmed by default: the latest
 * rising and the longest quiet spell set deadlines, the earliest bedtime keeps quiet evenings from
 * alarming, and a recent odd day there makes the rule more tolerant, never less. quietTrimDays drops
 * the longest quiet spells if wanted.
 */
export function learnBounds(history: readonly RoutineDay[], weekend: boolean, p: RoutineParams): RoutineBounds | undefined {
  let learned = 0;
  for (const d of history) if (d.first !== undefined) learned++;
  if (learned < p.warmupDays) return undefined;
  const same = history.filter((d) => d.weekend === weekend);
  const typedFirst = same.filter((d) => d.first !== undefined).length >= p.minDaysPerType;
  const pool = typedFirst ? same : history;
  const firsts = trimmedRange(pool, (d) => d.first, p.trimDays, 0);
  const lasts = trimmedRange(pool, (d) => d.last, 0, p.trimDays);
  const beds = trimmedRange(pool, (d) => d.last, p.bedTrimDays, p.trimDays);
  const quiets = trimmedRange(history, (d) => d.quiet, 0, p.quietTrimDays);
  if (!firsts || !lasts || !beds || !quiets) return undefined;
  const [firstLo, firstHi] = firsts.range;
  const [lastLo, lastHi] = lasts.range;
  const quiet = quiets.range[1];
  const minPartDays = minSpellDays(p);
  const quietBy = QUIET_PARTS.map((_, part) => {
    const v = trimmedRange(history, (d) => d.quietBy?.[part] ?? undefined, 0, p.quietTrimDays);
    // A part of the day seen on too few days falls back on the whole day's longest spell.
    return v && v.n >= minPartDays ? v.range[1] : quiet;
  });
  return { days: firsts.n, typed: typedFirst, firstLo, firstHi, lastLo, lastHi, quietDays: quiets.n, quiet, quietBy, bedLo: beds.range[0] };
}

/** Days needed to learn a part of the day's quiet spells, or the wait from a time of day. */
const minSpellDays = (p: RoutineParams): number => Math.max(3, Math.ceil(p.warmupDays / 2));

/** How long the resident usually went without water from one time of day (clockReach). */
export interface ClockReach {
  /** The longest wait for the next use from that time, minutes, over `days` learned days (clockQuietTrimDays longest dropped). */
  reach: number;
  /** Days that taught it: learned days on which the resident was up at that time (had not yet gone to bed). */
  days: number;
  /** Longest waits dropped (clockQuietTrimDays, fewer when few days). */
  trimmed: number;
}

/**
 * The longest wait for the next water use from local clock time `clockMin` (minutes after midnight; a
 * routine day's values, so past 1440 after midnight) over the learned days: for each day whose bedtime
 * came later, the time from `clockMin` to the day's next use (to its rising if it rose later; the end
 * of the quiet spell it was in; at most SPELL_MIN otherwise). Unlike the longest spell of a part of the
 * day, this knows that a spell starting at 15:50 usually ends with dinner, not five hours later.
 * Undefined when fewer learned days than half of warmupDays (at least 3) say anything.
 */
export function clockReach(history: readonly RoutineDay[], clockMin: number, p: RoutineParams): ClockReach | undefined {
  const waits: { v: number; normal: boolean }[] = [];
  for (const d of history) {
    const s = d.spells;
    if (!s) continue;
    if (d.last !== undefined && d.last <= clockMin) continue;
    let v = SPELL_MIN;
    if (d.first !== undefined && clockMin < d.first) v = d.first - clockMin;
    for (let i = 0; i + 1 < s.length; i += 2) {
      const a = s[i] as number;
      const b = s[i + 1] as number;
      if (a > clockMin + p.clockQuietWindowMinutes) break;
      // A spell under way at that time (the wait from then), or one starting near it (its whole length).
      if (a <= clockMin && clockMin < b) v = Math.max(v, b - clockMin);
      if (a >= clockMin - p.clockQuietWindowMinutes) v = Math.max(v, b - a);
    }
    waits.push({ v, normal: d.normal === true });
  }
  if (waits.length < minSpellDays(p)) return undefined;
  const plain = waits.filter((w) => !w.normal).map((w) => w.v).sort((a, b) => a - b);
  const trimmed = Math.min(p.clockQuietTrimDays, Math.max(0, plain.length - 3));
  let reach = plain.length > 0 ? (plain[plain.length - 1 - trimmed] as number) : 0;
  // Days staff marked normal are never trimmed (as in learnBounds).
  for (const w of waits) if (w.normal) reach = Math.max(reach, w.v);
  return { reach, days: waits.length, trimmed };
}

/**
 * The range of one value over some days, `trimLo` lowest and `trimHi` highest values dropped. Days staff
 * marked normal are never trimmed: they widen the range whatever the rest says (that is what marking
 * normal is for).
 */
function trimmedRange(days: readonly RoutineDay[], pick: (d: RoutineDay) => number | undefined, trimLo: number, trimHi: number): { n: number; range: [number, number] } | undefined {
  const plain: number[] = [];
  const normal: number[] = [];
  for (const d of days) {
    const v = pick(d);
    if (v !== undefined) (d.normal ? normal : plain).push(v);
  }
  if (plain.length === 0 && normal.length === 0) return undefined;
  plain.sort((a, b) => a - b);
  let [lo, hi] = plain.length > 0 ? range(plain, trimLo, trimHi) : [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const v of normal) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return { n: plain.length + normal.length, range: [lo, hi] };
}

/** The lowest and highest values after dropping `lo` and `hi` of them, keeping at least three. */
function range(sorted: readonly number[], lo: number, hi: number): [number, number] {
  const spare = Math.max(0, sorted.length - 3);
  const a = Math.min(lo, spare);
  const b = Math.min(hi, spare - a);
  return [sorted[a] as number, sorted[sorted.length - 1 - b] as number];
}

/**
 * Where routine days begin: the quietest hour of the night in the resident's own use profile (15-min
 * slots smoothed over +-1 h), searched between 00:00 and 08:00 so that a night owl's 02:00 bedtime and an
 * early riser's 04:30 rising both fall inside their own day. 03:00 until a few days were seen.
 */
export function estimateBoundary(slots: readonly number[]): number {
  let total = 0;
  for (const v of slots) total += v;
  if (total < 3 * 10) return DEFAULT_BOUNDARY_MIN;
  const sums: number[] = [];
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 32; i++) {
    let sum = 0;
    for (let j = -4; j <= 4; j++) sum += slots[(i + j + SLOTS) % SLOTS] as number;
    sums.push(sum);
    if (sum < min) min = sum;
  }
  // A long silent night ties many slots: take the middle of them, away from both bedtime and rising.
  const tied: number[] = [];
  sums.forEach((v, i) => {
    if (v <= min + 1e-9) tied.push(i);
  });
  const best = tied[Math.floor(tied.length / 2)] as number;
  return best * 15;
}
