import { Rng } from '../core/prng.util';

/**
 * Personas. Most residents keep a "typical" elderly routine; the odd ones are there so that fixed
 * thresholds (10 L in 12 h) are stressed the way real caseloads stress them: a night owl is silent until
 * late morning, an early riser's day ends early, a very low user may draw ~30 L a day.
 */
export const PERSONAS = ['typical', 'early_riser', 'night_owl', 'low_user'] as const;
export type Persona = (typeof PERSONAS)[number];

export interface DriftTerm {
  amplitudeMin: number;
  periodDays: number;
  phase: number;
}

export interface ResidentProfile {
  persona: Persona;
  /** Mean local wake and sleep time, minutes after midnight (sleep past 1440 is after midnight). */
  wakeMin: number;
  sleepMin: number;
  /** Day-to-day scatter of wake and sleep times (sd, minutes). */
  dailySdMin: number;
  /** Slow drift of the whole routine over days (sum of sinusoids): no two weeks alike. */
  drift: DriftTerm[];
  /** Saturday and Sunday: how much later the resident gets up. */
  weekendShiftMin: number;
  flushesPerDay: number;
  flushL: number;
  /** Share of flushes done with a bucket of saved washing water: not metered (frugal households). */
  bucketFlushShare: number;
  handWashL: [number, number];
  /** Probability of a shower on a given day, its volume range and whether it is taken in the morning. */
  showerProbability: number;
  showerL: [number, number];
  showerMorning: boolean;
  /** Multiplies cooking and dish-washing volumes. */
  kitchenScale: number;
  lunchMin: number;
  dinnerMin: number;
  /** Washing-machine loads a week (~50 L each; hand washing ~20 L for low users). */
  laundryPerWeek: number;
  laundryL: [number, number];
  /** Mean night-time toilet visits (nocturia is common past 70). */
  nocturiaMean: number;
  /** Probability of a morning outing (market, park, clinic) on a weekday and on a weekend day. */
  outingWeekday: number;
  outingWeekend: number;
  /** Probability that family comes for Sunday dinner (more cooking and dishes). */
  familyDinner: number;
}

/**
 * The persona of resident number `index` (0-based). Residents 2, 3 and 4 are always a night owl, an
 * early riser and a very low user so that even a ten-resident demo shows each; the rest are drawn.
 */
export function personaFor(index: number, rng: Rng): Persona {
  const fixed: Record<number, Persona> = { 1: 'night_owl', 2: 'early_riser', 3: 'low_user' };
  const f = fixed[index];
  if (f) return f;
  return rng.weighted({ typical: 76, early_riser: 9, night_owl: 8, low_user: 7 });
}

/** A resident's profile, drawn once from the resident's own random stream. */
export function makeProfile(persona: Persona, rng: Rng): ResidentProfile {
  const drift: DriftTerm[] = [
    { amplitudeMin: rng.range(8, 25), periodDays: rng.range(5, 11), phase: rng.range(0, 2 * Math.PI) },
    { amplitudeMin: rng.range(5, 15), periodDays: rng.range(13, 29), phase: rng.range(0, 2 * Math.PI) },
  ];
  const common = {
    persona,
    dailySdMin: rng.range(12, 28),
    drift,
    flushL: rng.range(5.5, 6.5),
    bucketFlushShare: 0,
    handWashL: [1, 2] as [number, number],
    showerL: [40, 60] as [number, number],
    showerMorning: rng.chance(0.25),
    laundryL: [45, 55] as [number, number],
    outingWeekday: rng.range(0.3, 0.7),
    outingWeekend: rng.range(0.1, 0.4),
    familyDinner: rng.range(0.1, 0.5),
  };
  switch (persona) {
    case 'typical':
      return {
        ...common,
        wakeMin: rng.normalIn(6 * 60 + 20, 30, 5 * 60 + 20, 7 * 60 + 40),
        sleepMin: rng.normalIn(21 * 60 + 40, 35, 20 * 60 + 30, 23 * 60 + 30),
        weekendShiftMin: rng.range(10, 45),
        flushesPerDay: rng.range(4.5, 7),
        showerProbability: rng.range(0.3, 0.8),
        kitchenScale: rng.range(0.8, 1.3),
        lunchMin: rng.normalIn(11 * 60 + 30, 15, 11 * 60, 12 * 60 + 15),
        dinnerMin: rng.normalIn(17 * 60 + 30, 20, 16 * 60 + 50, 18 * 60 + 30),
        laundryPerWeek: rng.range(1.5, 3),
        nocturiaMean: rng.range(0.5, 1.8),
      };
    case 'early_riser':
      return {
        ...common,
        wakeMin: rng.normalIn(4 * 60 + 40, 20, 4 * 60, 5 * 60 + 20),
        sleepMin: rng.normalIn(20 * 60 + 15, 20, 19 * 60 + 30, 21 * 60),
        weekendShiftMin: rng.range(0, 15),
        flushesPerDay: rng.range(5, 8),
        showerProbability: rng.range(0.4, 0.9),
        kitchenScale: rng.range(0.8, 1.2),
        lunchMin: rng.normalIn(11 * 60, 15, 10 * 60 + 30, 11 * 60 + 40),
        dinnerMin: rng.normalIn(17 * 60, 15, 16 * 60 + 30, 17 * 60 + 40),
        laundryPerWeek: rng.range(2, 4),
        nocturiaMean: rng.range(0.8, 2),
      };
    case 'night_owl':
      return {
        ...common,
        wakeMin: rng.normalIn(9 * 60 + 40, 30, 8 * 60 + 45, 10 * 60 + 45),
        sleepMin: rng.normalIn(25 * 60 + 30, 30, 24 * 60 + 30, 26 * 60 + 30),
        weekendShiftMin: rng.range(20, 60),
        flushesPerDay: rng.range(5, 8),
        showerProbability: rng.range(0.4, 0.9),
        showerMorning: false,
        kitchenScale: rng.range(0.7, 1.2),
        lunchMin: rng.normalIn(12 * 60 + 40, 20, 12 * 60, 13 * 60 + 30),
        dinnerMin: rng.normalIn(19 * 60, 20, 18 * 60 + 15, 20 * 60),
        laundryPerWeek: rng.range(1.5, 3),
        nocturiaMean: rng.range(0.2, 0.8),
        outingWeekday: rng.range(0.1, 0.4),
      };
    case 'low_user':
      return {
        ...common,
        wakeMin: rng.normalIn(6 * 60 + 45, 30, 5 * 60 + 45, 8 * 60),
        sleepMin: rng.normalIn(21 * 60, 30, 20 * 60, 22 * 60 + 30),
        weekendShiftMin: rng.range(0, 20),
        flushesPerDay: rng.range(3, 4),
        bucketFlushShare: rng.range(0.4, 0.6),
        handWashL: [0.6, 1.2],
        showerProbability: rng.range(0.1, 0.2),
        showerL: [22, 32],
        kitchenScale: rng.range(0.25, 0.35),
        lunchMin: rng.normalIn(11 * 60 + 30, 15, 11 * 60, 12 * 60 + 15),
        dinnerMin: rng.normalIn(17 * 60 + 15, 20, 16 * 60 + 45, 18 * 60),
        // Clothes washed by hand in a basin.
        laundryPerWeek: rng.range(0.5, 1.2),
        laundryL: [15, 22],
        nocturiaMean: rng.range(0.3, 1),
        familyDinner: rng.range(0, 0.15),
      };
  }
}
