import type { DeviceKind, RegistryFile } from '@hearthbeat/contracts';
import { Rng } from '../core/prng.util';
import { DAY_MS, addDays, localDateOf, zonedTime, type LocalDate } from '../core/zoned-time.util';
import { dayTimes, type RoutineContext } from '../residents/daily-routine.model';
import { DEFAULT_DEVICE_KIND, type ResidentScenarioKind, type Scenario, type ScenarioKind } from './scenario.types';
import { UsageError } from './scenario-spec.parser';

/** What the planner needs to know about the fleet and the run. */
export interface PlanContext {
  registry: RegistryFile;
  seed: string;
  start: number;
  end: number;
  startDate: LocalDate;
  tzOf(siteId: string): string;
  routineOf(residentId: string): RoutineContext;
}

export type Subject = { type: 'resident'; id: string; site: string; devices: string[] } | { type: 'elevator'; id: string; site: string; device: string };

/** Which device kinds a device-level scenario may target. */
const DEVICE_KINDS_FOR: Partial<Record<ScenarioKind, DeviceKind[]>> = {
  leak: ['water_meter'],
  meter_outage: ['water_meter'],
  fire: ['smoke_alarm'],
  detector_removed: ['smoke_alarm'],
  low_battery: ['water_meter', 'smoke_alarm'],
  garbage: ['water_meter', 'smoke_alarm', 'elevator'],
};

/** Looks up subjects and devices of the registry, and the local-time facts scenarios are placed by. */
export class SubjectIndex {
  readonly residents: Subject[] = [];
  readonly elevators: Subject[] = [];
  private readonly byId = new Map<string, Subject>();
  private readonly ownerOfDevice = new Map<string, Subject>();
  private readonly kindOf = new Map<string, DeviceKind>();

  constructor(readonly ctx: PlanContext) {
    for (const d of ctx.registry.devices) this.kindOf.set(d.id, d.kind);
    for (const r of ctx.registry.residents) {
      const s: Subject = { type: 'resident', id: r.id, site: r.site, devices: r.devices };
      this.residents.push(s);
      this.byId.set(r.id, s);
      for (const d of r.devices) this.ownerOfDevice.set(d, s);
    }
    for (const e of ctx.registry.elevators) {
      const s: Subject = { type: 'elevator', id: e.id, site: e.site, device: e.device };
      this.elevators.push(s);
      this.byId.set(e.id, s);
      this.ownerOfDevice.set(e.device, s);
    }
  }

  tz(subject: Subject): string {
    return this.ctx.tzOf(subject.site);
  }

  /** A subject by its own id or by one of its devices' ids; the device, when named, is returned too. */
  resolve(target: string): { subject: Subject; deviceId?: string } | undefined {
    const s = this.byId.get(target);
    if (s) return { subject: s };
    const owner = this.ownerOfDevice.get(target);
    return owner ? { subject: owner, deviceId: target } : undefined;
  }

  /**
   * The device a scenario concerns: the one named, else the subject's first device of the default kind.
   * Throws a UsageError when the kinds do not fit.
   */
  deviceFor(kind: ScenarioKind, subject: Subject, named: string | undefined, what: string): string | undefined {
    const allowed = DEVICE_KINDS_FOR[kind];
    if (!allowed) return undefined;
    if (subject.type === 'elevator') return subject.device;
    if (named) {
      const k = this.kindOf.get(named);
      if (!k || !allowed.includes(k)) throw new UsageError(`${what}: ${kind} needs a ${allowed.join(' or ')}, and ${named} is a ${k ?? 'unknown device'}`);
      return named;
    }
    const want = DEFAULT_DEVICE_KIND[kind as ResidentScenarioKind] ?? allowed[0];
    const found = subject.devices.find((d) => this.kindOf.get(d) === want);
    if (!found) throw new UsageError(`${what}: ${subject.id} has no ${want}`);
    return found;
  }

  /** Day index (0 = start date) of instant `t` in the subject's zone. */
  dayOf(subject: Subject, t: number): number {
    const d = localDateOf(t, this.tz(subject));
    const s = this.ctx.startDate;
    return Math.round((Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(s.year, s.month - 1, s.day)) / DAY_MS);
  }

  /** Epoch ms of `minutes` after local midnight on day `day`. */
  localTime(subject: Subject, day: number, minutes: number): number {
    return zonedTime(addDays(this.ctx.startDate, day), minutes, this.tz(subject));
  }

  usualWake(residentId: string, day: number): number {
    return dayTimes(this.ctx.routineOf(residentId), day).wake;
  }

  kindOfDevice(id: string): DeviceKind | undefined {
    return this.kindOf.get(id);
  }
}

/** A scenario with its random-choice key filled in. */
export function scenario(kind: ScenarioKind, subject: string, start: number, end: number, deviceId?: string, day?: number): Scenario {
  const s: Scenario = { kind, subject, start: Math.round(start), end: Math.round(end), key: `${kind}/${subject}/${Math.round(start)}` };
  if (deviceId !== undefined) s.deviceId = deviceId;
  if (day !== undefined) s.day = day;
  return s;
}

/** A late rising on `day`: from the usual wake until `delay` later. */
export function lateRising(index: SubjectIndex, residentId: string, day: number, delayMs: number): Scenario {
  const usual = index.usualWake(residentId, day);
  return scenario('late_rising', residentId, usual, usual + delayMs, undefined, day);
}

export function seededRng(ctx: PlanContext, ...labels: (string | number)[]): Rng {
  return Rng.derive(ctx.seed, 'plan', ...labels);
}
