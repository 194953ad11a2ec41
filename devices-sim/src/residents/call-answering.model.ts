import { Rng } from '../core/prng.util';

/**
 * How simulated residents would answer an automated voice check-in call (the rules engine places one
 * before raising a silence alert). The backtest reads the odds from DIR/answers.jsonl and plays the calls.
 *
 * No field data exists for any of these numbers. They are assumptions, chosen before any evaluation of
 * the check-in step was run, from what is generally known of people over 70 living alone; they must not
 * be tuned to make an evaluation result look better. Change them only for a reason about residents.
 */

/**
 * The odds of one call: answered and confirming being well (`answered`), answered asking for help
 * (`help`); the rest (1 - answered - help) is "no answer".
 */
export interface AnswerOdds {
  answered: number;
  help: number;
}

/** A resident's telephone habits, drawn once per resident from the seed. */
export interface CallHabits {
  /** At an ordinary waking moment at home (or anywhere, for a mobile owner). */
  usual: AnswerOdds;
  /** Carries a mobile phone (reachable out of the home), rather than having a landline only. */
  mobile: boolean;
}

/**
 * Usual chance of answering and confirming, drawn uniformly per resident. Even at home and awake some
 * calls go unanswered: hard of hearing, in the bathroom or the kitchen with the tap running, dozing in
 * the afternoon, slow to the phone so that the call gives up. 3-15 % missed calls is our guess.
 */
export const USUAL_ANSWERED_RANGE: readonly [number, number] = [0.85, 0.97];

/**
 * Share of residents who carry a mobile phone they would answer out of the home. Over-70s living alone
 * in the target estates often rely on the landline the service registered; 40 % is a guess.
 */
export const MOBILE_SHARE = 0.4;

/**
 * Asleep at home (from bedtime to getting up, and a late rising's extra hours in bed): a ringing phone
 * wakes some, and hearing aids are out at night. 0.3, a guess. Nobody asks for help from bed.
 */
export const ASLEEP: AnswerOdds = { answered: 0.3, help: 0 };

/**
 * Fallen (`fall`, `fall_in_shower`), for the whole time until the rescue: they cannot confirm being well;
 * one in five manages to reach the phone (or a mobile in a pocket) and asks for help. Most falls leave
 * the resident unable to get up or to reach a phone on a table, hence the low share. A guess.
 */
export const FALLEN: AnswerOdds = { answered: 0, help: 0.2 };

/** Out of the reach of the call: on an outing or away with a landline only, or in hospital with a landline only. */
export const UNREACHABLE: AnswerOdds = { answered: 0, help: 0 };

/**
 * In hospital with a mobile: the phone may be flat, switched off on the ward, or the resident busy with
 * care or asleep; answered half the time, a guess. (The call confirms the resident is fine, which in a
 * sense they are: looked after.)
 */
export const HOSPITAL_MOBILE: AnswerOdds = { answered: 0.5, help: 0 };

/** Labels of the interval lines. */
export type AnswerWhy = 'outing' | 'asleep' | 'fall' | 'fall_in_shower' | 'hospital' | 'away' | 'away_unannounced' | 'late_rising';

/** Draws a resident's habits from their own random stream (it shifts nothing else in the run). */
export function callHabits(seed: string, residentId: string): CallHabits {
  const rng = Rng.derive(seed, residentId, 'call-answering');
  const answered = Math.round(rng.range(...USUAL_ANSWERED_RANGE) * 1000) / 1000;
  const mobile = rng.chance(MOBILE_SHARE);
  return { usual: { answered, help: 0 }, mobile };
}

/** Odds during a morning outing, or null when the usual odds hold (a mobile goes out with its owner). */
export function outingOdds(habits: CallHabits): AnswerOdds | null {
  return habits.mobile ? null : UNREACHABLE;
}

/**
 * Odds during an incident of truth kind `kind` (truth.jsonl), or null when the incident does not change
 * how calls are answered: tap running, leak, meter outage, low battery, a removed detector, garbage, and
 * fire (the evacuation is short and the firefighters are the ones to call).
 */
export function incidentOdds(kind: string, habits: CallHabits): { odds: AnswerOdds; why: AnswerWhy } | null {
  switch (kind) {
    case 'fall':
    case 'fall_in_shower':
      return { odds: FALLEN, why: kind };
    case 'hospital':
      return { odds: habits.mobile ? HOSPITAL_MOBILE : UNREACHABLE, why: kind };
    case 'away':
    case 'away_unannounced':
      // Staying with family: a landline at home rings in an empty flat; a mobile owner answers as usual
      // (no line: the base line holds).
      return habits.mobile ? null : { odds: UNREACHABLE, why: kind };
    case 'late_rising':
      return { odds: ASLEEP, why: kind };
    default:
      return null;
  }
}
