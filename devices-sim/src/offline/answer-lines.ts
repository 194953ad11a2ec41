import type { TruthLine } from '@hearthbeat/contracts';
import type { SimResident } from '../fleet/sim-fleet.builder';
import { daySchedule, type DaySchedule } from '../residents/daily-routine.model';
import { ASLEEP, callHabits, incidentOdds, outingOdds, type AnswerOdds, type AnswerWhy, type CallHabits } from '../residents/call-answering.model';

/** answers.jsonl, base line: the odds of a call at an ordinary moment. */
export interface AnswerBaseLine {
  subject: string;
  answered: number;
  help: number;
}

/** answers.jsonl, interval line: odds overriding the base in [from, to) (epoch ms). */
export interface AnswerIntervalLine {
  subject: string;
  from: number;
  to: number;
  answered: number;
  help: number;
  why: AnswerWhy;
}

export type AnswerLine = AnswerBaseLine | AnswerIntervalLine;

/**
 * The lines of answers.jsonl for the run [start, end): for every resident with a phone, a base line,
 * then intervals sorted by from (then to, then why): nights asleep and morning outings that overlap the
 * run, and every incident of truth (as written, `start` before `end` of the run) that changes answering,
 * with its exact [start, end). Overlapping intervals are left as they are: the reader takes the one with
 * the smallest `answered`, then the largest `help`. Residents sorted by id. Deterministic. Lazy, one
 * resident at a time, so memory does not grow with the length of the run.
 */
export function* answerLines(residents: readonly SimResident[], truth: readonly TruthLine[], start: number, end: number): Generator<AnswerLine, void> {
  const incidents = new Map<string, TruthLine[]>();
  for (const t of truth) {
    const list = incidents.get(t.subject);
    if (list) list.push(t);
    else incidents.set(t.subject, [t]);
  }
  const callable = residents.filter((r) => r.phone !== undefined && r.phone !== '').sort((a, b) => cmp(a.id, b.id));
  for (const r of callable) {
    const habits = callHabits(r.routine.seed, r.id);
    yield { subject: r.id, answered: habits.usual.answered, help: habits.usual.help };
    const intervals = [...routineIntervals(r, habits, start, end), ...incidentIntervals(r.id, incidents.get(r.id) ?? [], habits)];
    intervals.sort((a, b) => a.from - b.from || a.to - b.to || cmp(a.why, b.why));
    yield* intervals;
  }
}

/** Nights asleep (bedtime to the next getting up, late risings included) and outings overlapping [start, end). */
function routineIntervals(r: SimResident, habits: CallHabits, start: number, end: number): AnswerIntervalLine[] {
  const out: AnswerIntervalLine[] = [];
  const add = (from: number, to: number, odds: AnswerOdds, why: AnswerWhy) => {
    if (to > from && to > start && from < end) out.push(interval(r.id, from, to, odds, why));
  };
  const schedule = (d: number): DaySchedule => daySchedule(r.routine, d, { wake: r.wakeOverrides.get(d) });
  const outing = outingOdds(habits);
  // Day -1: its night runs into the start of the run. A day starting at or after the end adds nothing.
  let today = schedule(-1);
  for (let d = -1; today.times.midnight < end; d++) {
    const tomorrow = schedule(d + 1);
    add(today.sleep, tomorrow.wake, ASLEEP, 'asleep');
    // planDay leaves out the draws starting in [from, to); the draws start on whole milliseconds, so
    // [ceil(from), ceil(to)) is the same set of instants on the millisecond grid.
    if (outing && today.outing) add(Math.ceil(today.outing[0]), Math.ceil(today.outing[1]), outing, 'outing');
    today = tomorrow;
  }
  return out;
}

function incidentIntervals(subject: string, truth: readonly TruthLine[], habits: CallHabits): AnswerIntervalLine[] {
  const out: AnswerIntervalLine[] = [];
  for (const t of truth) {
    const effect = incidentOdds(t.kind, habits);
    if (effect && t.end > t.start) out.push(interval(subject, t.start, t.end, effect.odds, effect.why));
  }
  return out;
}

function interval(subject: string, from: number, to: number, odds: AnswerOdds, why: AnswerWhy): AnswerIntervalLine {
  // Key order as in the file format: subject, from, to, answered, help, why.
  return { subject, from, to, answered: odds.answered, help: odds.help, why };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
