import { Inject, Injectable } from '@nestjs/common';
import type { Alert, Elevator, Resident, RiskColour } from '@hearthbeat/contracts';
import type { AwayEntry, ElevatorState } from '@hearthbeat/rules-core';
import type { RegistryStore } from '@hearthbeat/registry';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy, type SubjectKind } from '../auth/scope.policy';
import { alertSummary, type AlertSummary } from '../alerts/alert.view';
import { DeviceHealthService, type DeviceHealth } from '../devices/device-health.service';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, REGISTRY } from '../engine.tokens';
import type { Clock } from '../driver/clock';
import { NotFoundError } from '../http/api.errors';
import type { SubjectListQuery } from './dto/subject.dto';

export type ResidentView = Omit<Resident, 'away' | 'rules'> & { risk: RiskColour; unresolvedAlerts: number; awayNow: boolean };
export type ElevatorView = Omit<Elevator, 'rules'> & { risk: RiskColour; unresolvedAlerts: number; online: boolean };
export type ElevatorLiveState = Omit<ElevatorState, 'cycles' | 'trapSince' | 'outsideSince' | 'doorOpenSince' | 'movingOpen' | 'overspeedLevel' | 'powerLost' | 'cyclingLatched' | 'late'>;

/** Residents and elevators with their live risk colour, open alerts and devices. */
@Injectable()
export class SubjectsService {
  constructor(
    private readonly runtime: EngineRuntime,
    private readonly scope: ScopePolicy,
    private readonly devices: DeviceHealthService,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  listResidents(user: AuthUser, q: SubjectListQuery): ResidentView[] {
    this.scope.assertKind(user, 'resident');
    const sites = this.scope.siteFilter(user, q.site);
    const open = this.unresolvedBySubject();
    const now = this.clock.now();
    return this.registry
      .listResidents()
      .filter((r) => !sites || sites.includes(r.site))
      .map((r) => this.residentView(r, open, now))
      .filter((v) => !q.risk || v.risk === q.risk)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  resident(user: AuthUser, id: string): ResidentView & { devices: string[]; deviceHealth: DeviceHealth[]; alerts: AlertSummary[]; away: AwayEntry[] } {
    const r = this.registry.getResident(id);
    if (!r) throw new NotFoundError('resident', id);
    this.scope.assertSubject(user, 'resident', r.site);
    const open = this.unresolvedBySubject();
    return {
      ...this.residentView(r, open, this.clock.now()),
      deviceHealth: this.devices.devicesOf(r.devices),
      alerts: (open.get(`resident:${id}`) ?? []).map(alertSummary),
      away: this.runtime.driver.rules.awayOf(id),
    };
  }

  listElevators(user: AuthUser, q: SubjectListQuery): ElevatorView[] {
    this.scope.assertKind(user, 'elevator');
    const sites = this.scope.siteFilter(user, q.site);
    const open = this.unresolvedBySubject();
    return this.registry
      .listElevators()
      .filter((e) => !sites || sites.includes(e.site))
      .map((e) => this.elevatorView(e, open))
      .filter((v) => !q.risk || v.risk === q.risk)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  elevator(user: AuthUser, id: string): ElevatorView & { state?: ElevatorLiveState; deviceHealth: DeviceHealth[]; alerts: AlertSummary[] } {
    const e = this.registry.getElevator(id);
    if (!e) throw new NotFoundError('elevator', id);
    this.scope.assertSubject(user, 'elevator', e.site);
    const open = this.unresolvedBySubject();
    const state = this.elevatorState(e.device);
    return {
      ...this.elevatorView(e, open),
      ...(state ? { state } : {}),
      deviceHealth: this.devices.devicesOf([e.device]),
      alerts: (open.get(`elevator:${id}`) ?? []).map(alertSummary),
    };
  }

  /** The car's latest reported state (floor, doors, mode...), without the rules' internal timers. */
  elevatorState(deviceId: string): ElevatorLiveState | undefined {
    const s = this.runtime.driver.rules.deviceState(deviceId)?.elevator;
    if (!s || s.stateTs === undefined) return undefined;
    const { cycles: _c, trapSince: _t, outsideSince: _o, doorOpenSince: _d, movingOpen: _m, overspeedLevel: _v, powerLost: _p, cyclingLatched: _l, late: _late, ...live } = s;
    return live;
  }

  /** Site and kind of a resident or elevator, for scope checks by id. */
  locate(kind: SubjectKind, id: string): { site: string } {
    const entity = kind === 'resident' ? this.registry.getResident(id) : this.registry.getElevator(id);
    if (!entity) throw new NotFoundError(kind, id);
    return { site: entity.site };
  }

  private residentView(r: Resident, open: Map<string, Alert[]>, now: number): ResidentView {
    const { away: _away, rules: _rules, ...rest } = r;
    const away = this.runtime.driver.rules.awayOf(r.id);
    return {
      ...rest,
      risk: this.runtime.driver.rules.riskOf({ type: 'resident', id: r.id }) ?? 'green',
      unresolvedAlerts: open.get(`resident:${r.id}`)?.length ?? 0,
      awayNow: away.some((a) => !a.ended && a.from <= now && now < a.to),
    };
  }

  private elevatorView(e: Elevator, open: Map<string, Alert[]>): ElevatorView {
    const { rules: _rules, ...rest } = e;
    return {
      ...rest,
      risk: this.runtime.driver.rules.riskOf({ type: 'elevator', id: e.id }) ?? 'green',
      unresolvedAlerts: open.get(`elevator:${e.id}`)?.length ?? 0,
      online: this.runtime.driver.rules.deviceState(e.device)?.online ?? false,
    };
  }

  /** Unresolved alerts keyed by their owning subject (`resident:R-0001`); device alerts count for the device's owner. */
  private unresolvedBySubject(): Map<string, Alert[]> {
    const out = new Map<string, Alert[]>();
    for (const a of this.runtime.driver.rules.alerts({ state: 'unresolved' })) {
      const owner = a.subject.type === 'device' ? this.registry.getDevice(a.subject.id)?.subject : a.subject;
      if (!owner) continue;
      const key = `${owner.type}:${owner.id}`;
      const list = out.get(key) ?? [];
      list.push(a);
      out.set(key, list);
    }
    return out;
  }
}
