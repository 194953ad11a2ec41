import { Rng } from '../core/prng.util';
import { MINUTE_MS, addDays, isWeekend, localMidnight, weekday, type LocalDate } from '../core/zoned-time.util';
import type { ResidentProfile } from './resident-profile.model';

/** One use of water: a tap, a cistern refill, a shower, a washing-machine fill. Flow is constant over it. */
export interface Draw {
  start: number;
  end: number;
  flowLpm: number;
}

export interface RoutineContext {
  seed: string;
  residentId: string;
  profile: ResidentProfile;
  /** Local date of day 0 and the site's zone. */
  startDate: LocalDate;
  tz: string;
}

export interface DayTimes {
  date: LocalDate;
  weekend: boolean;
  midnight: number;
  wake: number;
  sleep: number;
}

/**
 * Wake and sleep times of day `d` (0 = the start date). A pure function of (seed, resident, day), so that
 * scenarios can ask for "the usual wake time" of any day without running the routine.
 */
export function dayTimes(ctx: RoutineContext, d: number): DayTimes {
  const { profile } = ctx;
  const date = addDays(ctx.startDate, d);
  const weekend = isWeekend(date);
  const rng = Rng.derive(ctx.seed, ctx.residentId, 'times', d);
  const drift = profile.drift.reduce((s, term) => s + term.amplitudeMin * Math.sin((2 * Math.PI * d) / term.periodDays + term.phase), 0);
  const shift = weekend ? profile.weekendShiftMin : 0;
  const wakeMin = profile.wakeMin + drift + shift + rng.normal(0, profile.dailySdMin);
  // Bedtime follows the day's rhythm less tightly than waking (alarm clocks, radio programmes).
  const sleepMin = profile.sleepMin + 0.6 * drift + shift * 0.5 + rng.normal(0, profile.dailySdMin);
  const midnight = localMidnight(date, ctx.tz);
  const wake = midnight + Math.round(clamp(wakeMin, 3 * 60, 12 * 60) * MINUTE_MS);
  const sleep = midnight + Math.round(clamp(sleepMin, wakeMin + 10 * 60, 27 * 60) * MINUTE_MS);
  return { date, weekend, midnight, wake, sleep };
}

/** Options a scenario imposes on one day. */
export interface DayOverride {
  /** Late rising: the resident gets up at this instant instead. */
  wake?: number;
}

/** The frame of a day that planDay fills with draws: when the resident is up, and when out of the home. */
export interface DaySchedule {
  times: DayTimes;
  /** When the resident gets up (the usual time, or a late rising's) and goes to bed. */
  wake: number;
  sleep: number;
  /** The morning outing (market, park, clinic), if any: [leaves, comes back). No water is drawn then. */
  outing: [number, number] | null;
}

/**
 * Wake, bedtime and outing of day `d`, exactly as planDay uses them (same override, same random stream),
 * for whoever needs the resident's whereabouts without the draws (the call-answering model).
 */
export function daySchedule(ctx: RoutineContext, d: number, override: DayOverride = {}): DaySchedule {
  return startDay(ctx, d, override).schedule;
}

/**
 * The start of planDay: the schedule, and the day's random stream positioned just after the outing draw,
 * from which planDay goes on. Both planDay and daySchedule go through here, so that the outing daySchedule
 * reports is the one planDay leaves out and planDay's draws do not shift.
 */
function startDay(ctx: RoutineContext, d: number, override: DayOverride): { schedule: DaySchedule; rng: Rng } {
  const p = ctx.profile;
  const times = dayTimes(ctx, d);
  const wake = override.wake ?? times.wake;
  const sleep = Math.max(times.sleep, wake + 4 * 60 * MINUTE_MS);
  const rng = Rng.derive(ctx.seed, ctx.residentId, 'draws', d);

  // Out of the home for a while (market, park, clinic): no water is drawn then.
  const outingP = times.weekend ? p.outingWeekend : p.outingWeekday;
  let outing: [number, number] | null = null;
  if (rng.chance(outingP)) {
    const from = Math.max(wake + 75 * MINUTE_MS, atLocal(times, 8 * 60 + 15)) + rng.range(0, 70) * MINUTE_MS;
    outing = [from, from + rng.range(80, 200) * MINUTE_MS];
  }
  return { schedule: { times, wake, sleep, outing }, rng };
}

function atLocal(times: DayTimes, minutesAfterMidnight: number): number {
  return times.midnight + Math.round(minutesAfterMidnight * MINUTE_MS);
}

/**
 * The water draws of day `d`, from waking on day d until waking on day d+1 (the night's toilet visits
 * belong to the evening before), sorted by start. Volumes and durations follow the brief: flush ~6 L,
 * hand washing 1-2 L, shower 40-60 L over 5-10 min, laundry ~50 L in three fills, cooking and dishes.
 */
export function planDay(ctx: RoutineContext, d: number, override: DayOverride = {}): Draw[] {
  const p = ctx.profile;
  const { schedule, rng } = startDay(ctx, d, override);
  const { times, wake, sleep, outing } = schedule;
  const next = dayTimes(ctx, d + 1);
  const at = (minutesAfterMidnight: number) => atLocal(times, minutesAfterMidnight);
  const draws: Draw[] = [];
  const add = (start: number, seconds: number, litres: number) => {
    if (litres <= 0 || seconds <= 0) return;
    const s = Math.round(start);
    draws.push({ start: s, end: s + Math.round(seconds * 1000), flowLpm: litres / (seconds / 60) });
  };
  const flush = (start: number, handWash: boolean) => {
    // Cistern refill: ~6 L at the inlet valve's 5-8 L/min; none when flushed with a bucket.
    const litres = rng.normalIn(p.flushL, 0.3, p.flushL - 1, p.flushL + 1);
    const secs = (litres / rng.range(5, 8)) * 60;
    if (!rng.chance(p.bucketFlushShare)) add(start, secs, litres);
    if (handWash) add(start + secs * 1000 + rng.range(5, 20) * 1000, rng.range(20, 60), rng.range(...p.handWashL));
  };

  // Getting up: toilet, washing face and teeth.
  flush(wake + rng.range(1, 8) * MINUTE_MS, true);
  add(wake + rng.range(9, 20) * MINUTE_MS, rng.range(90, 200), rng.range(2, 4) * Math.max(0.5, p.kitchenScale));

  // Meals: water for cooking, then the washing-up; family dinner on some Sundays.
  const k = p.kitchenScale;
  const breakfast = wake + rng.range(25, 50) * MINUTE_MS;
  add(breakfast, rng.range(20, 45), rng.range(1, 2) * k);
  add(breakfast + rng.range(20, 40) * MINUTE_MS, rng.range(100, 200), rng.range(3, 6) * k);
  const lunch = at(p.lunchMin + rng.normal(0, 20));
  add(lunch, rng.range(150, 330), rng.range(3, 6) * k);
  add(lunch + rng.range(40, 65) * MINUTE_MS, rng.range(200, 420), rng.range(6, 12) * k);
  const family = weekday(times.date) === 0 && rng.chance(p.familyDinner) ? 1.8 : 1;
  const dinner = at(p.dinnerMin + rng.normal(0, 25));
  add(dinner, rng.range(180, 400), rng.range(4, 8) * k * family);
  add(dinner + rng.range(45, 75) * MINUTE_MS, rng.range(240, 480), rng.range(8, 15) * k * family);

  // Toilet visits through the day, most followed by washing hands.
  const dayFlushes = Math.max(1, Math.round(rng.normal(p.flushesPerDay - 2, 1)));
  for (let i = 0; i < dayFlushes; i++) flush(rng.range(wake + 40 * MINUTE_MS, sleep - 20 * MINUTE_MS), rng.chance(0.85));
  const extraWashes = rng.int(1, 3);
  for (let i = 0; i < extraWashes; i++) add(rng.range(wake + 30 * MINUTE_MS, sleep - 30 * MINUTE_MS), rng.range(20, 50), rng.range(...p.handWashL));

  // Shower: 40-60 L over 5-10 min, in the evening for most, in the morning for some.
  if (rng.chance(p.showerProbability * (times.weekend ? 1.1 : 1))) {
    const start = p.showerMorning ? wake + rng.range(30, 70) * MINUTE_MS : sleep - rng.range(60, 130) * MINUTE_MS;
    add(start, rng.range(5, 10) * 60, rng.range(...p.showerL));
  }

  // Laundry: a washing machine fills three times (wash, two rinses).
  if (rng.chance((p.laundryPerWeek / 7) * (times.weekend ? 1.4 : 0.85))) {
    const start = (outing ? outing[1] : wake + rng.range(90, 180) * MINUTE_MS) + rng.range(10, 40) * MINUTE_MS;
    const total = rng.range(...p.laundryL);
    const offsets = [0, rng.range(17, 23), rng.range(34, 42)];
    for (const off of offsets) add(start + off * MINUTE_MS, ((total / 3) / rng.range(9, 12)) * 60, total / 3);
  }

  // Odd jobs: mopping, watering plants.
  if (rng.chance(0.15)) add(rng.range(wake + 60 * MINUTE_MS, sleep - 60 * MINUTE_MS), rng.range(60, 150), rng.range(6, 12) * k);
  if (rng.chance(0.2)) add(rng.range(wake + 60 * MINUTE_MS, sleep - 60 * MINUTE_MS), rng.range(20, 60), rng.range(2, 4));

  // Going to bed: toilet, face. Then the night's toilet visits before the next day's wake.
  flush(sleep - rng.range(8, 20) * MINUTE_MS, true);
  add(sleep - rng.range(20, 35) * MINUTE_MS, rng.range(60, 120), rng.range(1.5, 3) * Math.max(0.5, k));
  const nights = rng.poisson(p.nocturiaMean);
  const nightFrom = sleep + 40 * MINUTE_MS;
  const nightTo = next.wake - 40 * MINUTE_MS;
  for (let i = 0; i < nights && nightTo > nightFrom; i++) flush(rng.range(nightFrom, nightTo), rng.chance(0.5));

  const kept = draws.filter((x) => x.start >= wake && x.start < next.wake - MINUTE_MS && !(outing && x.start >= outing[0] && x.start < outing[1]));
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
