import { DEFAULT_REPORT_INTERVAL_S, type RegistryFile } from '@hearthbeat/contracts';
import { Rng } from '../core/prng.util';
import { localDateOf, type LocalDate } from '../core/zoned-time.util';
import { TruthCollector, truthLine, type SimDevice } from '../devices/device-action.types';
import { emptyPlan } from '../devices/device-plan.types';
import { garbageNote, withGarbage } from '../devices/garbage.transform';
import { floorLabels } from '../elevators/elevator-physics.model';
import { elevatorActions } from '../elevators/elevator.device';
import type { RoutineContext } from '../residents/daily-routine.model';
import { residentDraws } from '../residents/resident-draws.model';
import { makeProfile, personaFor } from '../residents/resident-profile.model';
import { compileResidentScenarios } from '../residents/resident-scenarios.compiler';
import { smokeAlarmActions } from '../residents/smoke-alarm.device';
import { waterMeterActions } from '../residents/water-meter.device';
import { planScenarios, type PlanOptions, type ScenarioPlan } from '../scenarios/scenario.planner';
import { TRUTH_KIND_OF, type Scenario } from '../scenarios/scenario.types';

export interface RunWindow {
  seed: string;
  /** First and last instant simulated (epoch ms); `end` also bounds random incident planning. */
  start: number;
  end: number;
  /** Water meter readings per upload. */
  batch: number;
}

/** What the offline writers need to know about a resident beyond the messages (answers.jsonl). */
export interface SimResident {
  id: string;
  /** The registry's phone number; a resident without one cannot be called. */
  phone: string | undefined;
  routine: RoutineContext;
  /** Late rising: day index -> the instant the resident gets up instead (as the water meter plays it). */
  wakeOverrides: ReadonlyMap<number, number>;
}

export interface SimFleet {
  /** The registry, with announced absences added to residents' `away`. */
  registry: RegistryFile;
  devices: SimDevice[];
  truth: TruthCollector;
  plan: ScenarioPlan;
  /** Every resident, in registry order. */
  residents: SimResident[];
}

/**
 * Turns a registry into runnable devices: each resident gets a persona and routine (drawn from the seed
 * and the resident's id and position), each device its stream with the scenarios that concern it.
 * Reporting intervals come from the registry's devices, so a live run against a platform that imported
 * the same registry matches what the platform expects.
 */
export function buildFleet(registry: RegistryFile, run: RunWindow, planOpts: PlanOptions): SimFleet {
  const tzOf = siteZones(registry);
  const firstTz = registry.sites[0]?.timezone ?? 'UTC';
  const startDate = localDateOf(run.start, firstTz);
  const routines = routineContexts(registry, run.seed, startDate, tzOf);
  const plan = planScenarios(
    {
      registry,
      seed: run.seed,
      start: run.start,
      end: run.end,
      startDate,
      tzOf: (site) => tzOf(site),
      routineOf: (id) => routines.get(id) as RoutineContext,
    },
    planOpts,
  );
  const withAway: RegistryFile = {
    ...registry,
    residents: registry.residents.map((r) => {
      const away = [...(r.away ?? []), ...(plan.away.get(r.id) ?? [])];
      return away.length ? { ...r, away } : r;
    }),
  };
  const truth = new TruthCollector();
  const bySubject = new Map<string, Scenario[]>();
  for (const s of plan.scenarios) bySubject.set(s.subject, [...(bySubject.get(s.subject) ?? []), s]);
  const deviceEntry = new Map(registry.devices.map((d) => [d.id, d]));
  const intervalMs = (id: string) => {
    const d = deviceEntry.get(id);
    return 1000 * (d?.reportIntervalS ?? DEFAULT_REPORT_INTERVAL_S[d?.kind ?? 'water_meter']);
  };
  const built = new Map<string, SimDevice>();
  const residents: SimResident[] = [];

  for (const r of registry.residents) {
    const routine = routines.get(r.id) as RoutineContext;
    const kinds = new Map<string, 'water_meter' | 'smoke_alarm'>();
    for (const id of r.devices) {
      const k = deviceEntry.get(id)?.kind;
      if (k === 'water_meter' || k === 'smoke_alarm') kinds.set(id, k);
    }
    const compiled = compileResidentScenarios(run.seed, bySubject.get(r.id) ?? [], { kinds });
    // Absences already in a given registry (entered by staff) are real absences too.
    for (const a of r.away ?? []) {
      compiled.water.suppress.push([a.from, a.to]);
      truth.record(truthLine(r.id, 'away', a.from, a.to, undefined, a.note));
    }
    compiled.water.suppress.sort((a, b) => a[0] - b[0]);
    for (const line of compiled.truth) truth.record(line);
    residents.push({ id: r.id, phone: r.phone, routine, wakeOverrides: compiled.water.wakeOverrides });
    for (const [id, kind] of kinds) {
      const devicePlan = compiled.devices.get(id) ?? emptyPlan();
      const base = { id, seed: run.seed, start: run.start, plan: devicePlan };
      if (kind === 'water_meter') {
        const batch = Math.max(1, run.batch);
        built.set(id, {
          id,
          kind,
          stream: () => withGarbage(waterMeterActions({ ...base, intervalMs: intervalMs(id) / batch, batch, draws: residentDraws(routine, compiled.water) }), devicePlan.garbage, kind),
        });
      } else {
        built.set(id, { id, kind, stream: () => withGarbage(smokeAlarmActions({ ...base, heartbeatMs: intervalMs(id) }), devicePlan.garbage, kind) });
      }
    }
  }

  for (const e of registry.elevators) {
    const mine = bySubject.get(e.id) ?? [];
    const rng = Rng.derive(run.seed, e.id, 'car');
    const spec = {
      minFloor: e.minFloor,
      maxFloor: e.maxFloor,
      ratedSpeedMps: e.ratedSpeedMps,
      accelMps2: rng.range(0.6, 1.0),
      floorHeightM: rng.range(2.8, 3.2),
      labels: floorLabels(e.minFloor, e.maxFloor),
    };
    const garbage: [number, number][] = [];
    const stopped: [number, number][] = [];
    for (const s of mine) {
      if (s.kind === 'garbage') {
        garbage.push([s.start, s.end]);
        truth.record(truthLine(e.id, 'garbage', s.start, s.end, e.device, garbageNote('elevator')));
      } else if (s.kind === 'test_calls_stop') {
        stopped.push([s.start, s.end]);
        truth.record(truthLine(e.id, TRUTH_KIND_OF[s.kind], s.start, s.end, e.device, 'no automatic test call between start and end (EN 81-28 asks for one every 72 h)'));
      }
    }
    const incidents = mine.filter((s) => s.kind !== 'garbage' && s.kind !== 'test_calls_stop');
    const tz = tzOf(e.site);
    built.set(e.device, {
      id: e.device,
      kind: 'elevator',
      floorRange: { min: e.minFloor, max: e.maxFloor },
      stream: () =>
        withGarbage(
          elevatorActions({ id: e.device, elevatorId: e.id, seed: run.seed, start: run.start, spec, tz, incidents, testCallsStopped: stopped, sink: truth }),
          garbage,
          'elevator',
          e.maxFloor,
        ),
    });
  }

  // Registry order gives a stable tie-break when two messages share a receive time.
  const devices = registry.devices.map((d) => built.get(d.id)).filter((d): d is SimDevice => d !== undefined);
  return { registry: withAway, devices, truth, plan, residents };
}

export function siteZones(registry: RegistryFile): (siteId: string) => string {
  const zones = new Map(registry.sites.map((s) => [s.id, s.timezone]));
  return (siteId) => zones.get(siteId) ?? 'UTC';
}

export function routineContexts(registry: RegistryFile, seed: string, startDate: LocalDate, tzOf: (site: string) => string): Map<string, RoutineContext> {
  const out = new Map<string, RoutineContext>();
  registry.residents.forEach((r, index) => {
    const rng = Rng.derive(seed, r.id, 'profile');
    const profile = makeProfile(personaFor(index, rng), rng);
    out.set(r.id, { seed, residentId: r.id, profile, startDate, tz: tzOf(r.site) });
  });
  return out;
}
