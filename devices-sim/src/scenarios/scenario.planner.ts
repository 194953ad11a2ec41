import type { AwayPeriod } from '@hearthbeat/contracts';
import { HOUR_MS, parseLocalDateTime } from '../core/zoned-time.util';
import { randomIncidents } from './random-incidents.planner';
import { DURATIONS, ELEVATOR_GARBAGE_DURATION, ELEVATOR_SCENARIOS, RESIDENT_SCENARIOS, type Scenario, type ScenarioKind } from './scenario.types';
import { UsageError, type ScenarioSpec } from './scenario-spec.parser';
import { SubjectIndex, lateRising, scenario, seededRng, type PlanContext, type Subject } from './scenario-subjects.model';

export interface PlanOptions {
  scheduled: readonly ScenarioSpec[];
  /** Random incidents per resident-month and per elevator-month. */
  incidentRate: number;
  elevatorIncidentRate: number;
  /** One incident of every kind, spread over the first subjects. */
  showcase: boolean;
}

export interface ScenarioPlan {
  scenarios: Scenario[];
  /** Announced absences for the registry's `away` lists, by resident. */
  away: Map<string, AwayPeriod[]>;
  warnings: string[];
}

/** Scheduled, showcase and random scenarios, validated against the registry and placed in time. */
export function planScenarios(ctx: PlanContext, opts: PlanOptions): ScenarioPlan {
  const index = new SubjectIndex(ctx);
  const warnings: string[] = [];
  const scenarios: Scenario[] = opts.scheduled.map((spec) => fromSpec(index, spec, warnings));
  if (opts.showcase) scenarios.push(...showcase(index, warnings));
  scenarios.push(...randomIncidents(index, scenarios, opts.incidentRate, opts.elevatorIncidentRate));
  scenarios.sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { scenarios, away: announcedAbsences(ctx, scenarios), warnings };
}

function fromSpec(index: SubjectIndex, spec: ScenarioSpec, warnings: string[]): Scenario {
  const found = index.resolve(spec.target);
  if (!found) throw new UsageError(`--scenario "${spec.text}": no resident, elevator or device "${spec.target}" in the registry`);
  const { subject } = found;
  checkKindFits(spec.kind, subject, `--scenario "${spec.text}"`);
  const at = parseLocalDateTime(spec.at, index.tz(subject));
  if (at === null) throw new UsageError(`--scenario "${spec.text}": bad time "${spec.at}" (use YYYY-MM-DDTHH:MM, local to the site)`);
  if (spec.kind === 'late_rising') {
    // The time given is when the resident finally gets up; the incident starts at the usual wake.
    const day = index.dayOf(subject, at);
    const usual = index.usualWake(subject.id, day);
    if (at < usual + 30 * 60_000) {
      warnings.push(`--scenario "${spec.text}": ${subject.id} usually gets up at ${new Date(usual).toISOString()}; using 4 h later`);
      return lateRising(index, subject.id, day, DURATIONS.late_rising.default);
    }
    return lateRising(index, subject.id, day, at - usual);
  }
  const length = spec.durationMs ?? defaultLength(spec.kind, subject);
  const deviceId = index.deviceFor(spec.kind, subject, found.deviceId, `--scenario "${spec.text}"`);
  return scenario(spec.kind, subject.id, at, at + length, deviceId);
}

function checkKindFits(kind: ScenarioKind, subject: Subject, what: string): void {
  const ok = subject.type === 'resident' ? (RESIDENT_SCENARIOS as readonly string[]).includes(kind) : (ELEVATOR_SCENARIOS as readonly string[]).includes(kind);
  if (!ok) throw new UsageError(`${what}: ${kind} does not happen to ${subject.type === 'resident' ? 'a resident' : 'an elevator'} (${subject.id})`);
}

function defaultLength(kind: ScenarioKind, subject: Subject): number {
  return kind === 'garbage' && subject.type === 'elevator' ? ELEVATOR_GARBAGE_DURATION.default : DURATIONS[kind].default;
}

/** Local times (minutes after midnight) and lengths of the showcase incidents. */
const SHOWCASE: Partial<Record<ScenarioKind, { minutes: number; lengthMs?: number; day?: number }>> = {
  fall: { minutes: 8 * 60 + 30 },
  fall_in_shower: { minutes: 19 * 60 + 30 },
  hospital: { minutes: 10 * 60, lengthMs: 48 * HOUR_MS },
  away: { minutes: 9 * 60, lengthMs: 48 * HOUR_MS },
  away_unannounced: { minutes: 15 * 60 },
  tap_running: { minutes: 14 * 60 },
  leak: { minutes: 3 * 60, lengthMs: 24 * HOUR_MS },
  fire: { minutes: 18 * 60 },
  detector_removed: { minutes: 11 * 60, lengthMs: 48 * HOUR_MS },
  low_battery: { minutes: 10 * 60, lengthMs: 48 * HOUR_MS },
  meter_outage: { minutes: 6 * 60 },
  garbage: { minutes: 12 * 60 },
  entrapment: { minutes: 8 * 60 },
  entrapment_outside: { minutes: 18 * 60 },
  door_fault: { minutes: 10 * 60, lengthMs: HOUR_MS },
  door_cycling: { minutes: 15 * 60 },
  overspeed: { minutes: 9 * 60 },
  power_cut: { minutes: 13 * 60 },
  alarm_misuse: { minutes: 16 * 60 },
  // From the first hour, so that a run of four days or more shows a gap longer than 72 h.
  test_calls_stop: { minutes: 30, day: 0 },
};

/**
 * One incident of every kind on day 1 (the second day), resident kinds on R-0001, R-0002... in
 * RESIDENT_SCENARIOS order and elevator kinds on EL-0001... in ELEVATOR_SCENARIOS order; with fewer
 * subjects than kinds they wrap around two days later.
 */
function showcase(index: SubjectIndex, warnings: string[]): Scenario[] {
  const out: Scenario[] = [];
  const place = (kinds: readonly ScenarioKind[], subjects: Subject[]) => {
    if (subjects.length === 0) return;
    kinds.forEach((kind, k) => {
      const subject = subjects[k % subjects.length] as Subject;
      const wrap = Math.floor(k / subjects.length);
      const spec = SHOWCASE[kind];
      const day = (spec?.day ?? 1) + 2 * wrap;
      const item =
        kind === 'late_rising'
          ? lateRising(index, subject.id, day, DURATIONS.late_rising.default)
          : (() => {
              const start = index.localTime(subject, day, spec?.minutes ?? 12 * 60);
              const length = spec?.lengthMs ?? defaultLength(kind, subject);
              return scenario(kind, subject.id, start, start + length, index.deviceFor(kind, subject, undefined, `--showcase ${kind}`));
            })();
      if (item.start >= index.ctx.end) warnings.push(`--showcase: ${kind} on ${subject.id} falls after the end of the run; add days or subjects`);
      else out.push(item);
    });
  };
  place(RESIDENT_SCENARIOS, index.residents);
  place(ELEVATOR_SCENARIOS, index.elevators);
  return out;
}

const AWAY_NOTES = ['staying with daughter', 'visiting son in Suzhou', 'family trip to Hangzhou', 'respite care', 'hometown visit'];

/** Announced absences as staff would enter them: whole hours around the real departure and return. */
function announcedAbsences(ctx: PlanContext, scenarios: Scenario[]): Map<string, AwayPeriod[]> {
  const away = new Map<string, AwayPeriod[]>();
  for (const s of scenarios) {
    if (s.kind !== 'away') continue;
    const rng = seededRng(ctx, 'away-note', s.key);
    const list = away.get(s.subject) ?? [];
    list.push({ from: Math.floor(s.start / HOUR_MS) * HOUR_MS, to: Math.ceil(s.end / HOUR_MS) * HOUR_MS, note: rng.pick(AWAY_NOTES) });
    away.set(s.subject, list);
  }
  return away;
}
