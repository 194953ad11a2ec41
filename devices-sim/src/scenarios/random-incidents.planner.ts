import type { Rng } from '../core/prng.util';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../core/zoned-time.util';
import { dayTimes } from '../residents/daily-routine.model';
import { DURATIONS, ELEVATOR_GARBAGE_DURATION, type ElevatorScenarioKind, type ResidentScenarioKind, type Scenario } from './scenario.types';
import { lateRising, scenario, seededRng, type Subject, type SubjectIndex } from './scenario-subjects.model';

/**
 * How often each kind comes up among random incidents. Absences and late rising dominate, as in the
 * field (domain.md: 1,124 of 1,645 anomaly mails were "no water used", mostly late rising, hospital and
 * nights away); falls and fires are rare but present.
 */
const RESIDENT_WEIGHTS: Record<ResidentScenarioKind, number> = {
  away: 16,
  late_rising: 16,
  away_unannounced: 8,
  tap_running: 8,
  meter_outage: 8,
  hospital: 5,
  fall: 5,
  low_battery: 5,
  leak: 4,
  garbage: 4,
  detector_removed: 3,
  fall_in_shower: 2,
  fire: 1,
};

const ELEVATOR_WEIGHTS: Record<ElevatorScenarioKind, number> = {
  alarm_misuse: 5,
  entrapment: 3,
  door_fault: 3,
  door_cycling: 3,
  entrapment_outside: 2,
  power_cut: 2,
  garbage: 2,
  overspeed: 1,
  test_calls_stop: 1,
};

/** Incidents of one subject never overlap, nor come closer than this, so that each stays readable. */
const SEPARATION_MS = 6 * HOUR_MS;
const TRIES = 12;

/**
 * Random incidents: a Poisson number per subject (rate per 30 days), kinds drawn by weight, placed at
 * plausible local times, clear of the subject's other incidents (scheduled ones included).
 */
export function randomIncidents(index: SubjectIndex, existing: readonly Scenario[], residentRate: number, elevatorRate: number): Scenario[] {
  const { ctx } = index;
  const days = Math.max(1, Math.ceil((ctx.end - ctx.start) / DAY_MS));
  const taken = new Map<string, [number, number][]>();
  for (const s of existing) taken.set(s.subject, [...(taken.get(s.subject) ?? []), [s.start, s.end]]);
  // Absences already in the registry are busy time too: nobody falls at home while at their daughter's.
  for (const r of ctx.registry.residents) for (const a of r.away ?? []) taken.set(r.id, [...(taken.get(r.id) ?? []), [a.from, a.to]]);
  const out: Scenario[] = [];
  const consider = (subject: Subject, rate: number, draw: (rng: Rng, day: number) => Scenario | null) => {
    const rng = seededRng(ctx, 'random', subject.id);
    const count = rng.poisson((rate * days) / 30);
    for (let i = 0; i < count; i++) {
      for (let attempt = 0; attempt < TRIES; attempt++) {
        const s = draw(rng, rng.int(0, days - 1));
        if (!s || s.start < ctx.start + HOUR_MS || s.start >= ctx.end) continue;
        const mine = taken.get(subject.id) ?? [];
        if (mine.some(([a, b]) => s.start < b + SEPARATION_MS && s.end > a - SEPARATION_MS)) continue;
        mine.push([s.start, s.end]);
        taken.set(subject.id, mine);
        out.push({ ...s, key: `${s.key}/random${i}` });
        break;
      }
    }
  };
  if (residentRate > 0) for (const r of index.residents) consider(r, residentRate, (rng, day) => residentIncident(index, r, rng, day));
  if (elevatorRate > 0) for (const e of index.elevators) consider(e, elevatorRate, (rng, day) => elevatorIncident(index, e, rng, day));
  return out;
}

function residentIncident(index: SubjectIndex, r: Subject, rng: Rng, day: number): Scenario {
  const kind = rng.weighted(RESIDENT_WEIGHTS);
  const routine = index.ctx.routineOf(r.id);
  const times = dayTimes(routine, day);
  const at = (minutes: number) => index.localTime(r, day, minutes);
  const between = (from: number, to: number) => rng.range(from, Math.max(from + 1, to));
  const length = rng.range(DURATIONS[kind].min, DURATIONS[kind].max);
  if (kind === 'late_rising') return lateRising(index, r.id, day, length);
  let start: number;
  switch (kind) {
    case 'fall':
    case 'tap_running':
      start = between(times.wake + HOUR_MS, times.sleep - 2 * HOUR_MS);
      break;
    case 'fall_in_shower':
      start = times.sleep - rng.range(60, 130) * MINUTE_MS;
      break;
    case 'away':
      start = at(rng.range(8 * 60, 11 * 60));
      break;
    case 'away_unannounced':
      start = at(rng.range(14 * 60, 19 * 60));
      break;
    case 'fire':
      // Kitchen fires start while cooking.
      start = at((rng.chance(0.5) ? routine.profile.lunchMin : routine.profile.dinnerMin) + rng.range(-10, 30));
      break;
    case 'hospital':
    case 'detector_removed':
      start = at(rng.range(8 * 60, 21 * 60));
      break;
    default:
      start = at(rng.range(0, 24 * 60));
  }
  const deviceKind = kind === 'low_battery' ? (rng.chance(0.7) ? 'smoke_alarm' : 'water_meter') : kind === 'garbage' ? (rng.chance(0.75) ? 'water_meter' : 'smoke_alarm') : undefined;
  const named = deviceKind && r.type === 'resident' ? r.devices.find((d) => index.kindOfDevice(d) === deviceKind) : undefined;
  return scenario(kind, r.id, start, start + length, index.deviceFor(kind, r, named, `random ${kind} on ${r.id}`));
}

function elevatorIncident(index: SubjectIndex, e: Subject, rng: Rng, day: number): Scenario {
  const kind = rng.weighted(ELEVATOR_WEIGHTS);
  const range = kind === 'garbage' ? ELEVATOR_GARBAGE_DURATION : DURATIONS[kind];
  const length = rng.range(range.min, range.max);
  // Entrapments and misuse need passengers: daytime. Faults happen at any hour.
  const daytime = kind === 'entrapment' || kind === 'entrapment_outside' || kind === 'alarm_misuse';
  const start = index.localTime(e, day, daytime ? rng.range(7 * 60, 22 * 60) : rng.range(0, 24 * 60));
  return scenario(kind, e.id, start, start + length, index.deviceFor(kind, e, undefined, `random ${kind} on ${e.id}`));
}
