import type { Alert, AnyRuleParams, DeviceKind, EscalationPolicy, SubjectRef } from '@hearthbeat/contracts';
import type { DeviceState, DeviceTimerName } from '../state/device-state';
import type { SubjectState, SubjectTimerName } from '../state/subject-state';
import type { SiteTime } from '../time/site-time';
import { Timer } from '../time/deadline-queue';

/**
 * The core's in-memory model: runtimes wrap the persisted plain states with the compiled registry
 * (resolved parameters, site clock) and the timer objects of the deadline queue. Only `state` and the
 * alert records are persisted; everything else is rebuilt from the registry.
 */
export type AlertTimerName = 'escalate' | 'remind' | 'clear' | 'call';
export type CoreTimer = Timer<TimerOwner>;
export type TimerName = DeviceTimerName | SubjectTimerName | AlertTimerName;

/** Priorities among deadlines that fall due at the same instant (lower first). */
export const TIMER_PRIO: Record<TimerName, number> = {
  offline: 0,
  entrapment: 1,
  outsideZone: 1,
  doorHeld: 1,
  backlog: 1,
  awayEnd: 2,
  returnDue: 3,
  noActivity: 4,
  routine: 4,
  testCall: 5,
  clear: 6,
  // A call timing out hands the alert to the staff chain, which may then escalate at the same instant.
  call: 7,
  escalate: 7,
  remind: 8,
  risk: 9,
};

/** A site's check-in call step, resolved: which rules start with a call, and how long each step waits. */
export interface CheckInRuntime {
  rules: ReadonlySet<string>;
  timeoutMs: number;
  family?: { timeoutMs: number };
}

export interface SiteRuntime {
  id: string;
  time: SiteTime;
  escalation: EscalationPolicy;
  /** Present when the site's check-in call step is enabled. */
  checkIn?: CheckInRuntime;
}

export abstract class TimerOwner {
  readonly timers: Partial<Record<string, CoreTimer>> = {};
  abstract readonly ownerKind: 'device' | 'subject' | 'alert';
  /** Writes a pending deadline into the persisted record (undefined: none). */
  abstract writeDue(name: string, due: number | undefined): void;
  timer(name: TimerName): CoreTimer {
    let t = this.timers[name];
    if (!t) {
      t = new Timer<TimerOwner>(this, name, TIMER_PRIO[name]);
      this.timers[name] = t;
    }
    return t;
  }
}

export class SubjectRuntime extends TimerOwner {
  readonly ownerKind = 'subject';
  readonly key: string;
  devices: DeviceRuntime[] = [];
  readonly openAlerts = new Set<AlertRuntime>();
  /** Residents: whether a check-in call can reach them, and their family contacts. */
  callable = { resident: false, family: false };
  constructor(
    readonly ref: SubjectRef,
    public site: SiteRuntime,
    public params: AnyRuleParams,
    public state: SubjectState,
    /** Elevators: rated speed and floors. */
    public ratedSpeedMps = 0,
  ) {
    super();
    this.key = `${ref.type}:${ref.id}`;
  }
  writeDue(name: string, due: number | undefined): void {
    const bag = this.state.due as Record<string, number | undefined>;
    if (due === undefined) delete bag[name];
    else bag[name] = due;
  }
}

export class DeviceRuntime extends TimerOwner {
  readonly ownerKind = 'device';
  readonly ref: SubjectRef;
  constructor(
    readonly id: string,
    readonly kind: DeviceKind,
    public reportIntervalMs: number,
    public owner: SubjectRuntime,
    public state: DeviceState,
  ) {
    super();
    this.ref = { type: 'device', id };
  }
  get site(): SiteRuntime {
    return this.owner.site;
  }
  get params(): AnyRuleParams {
    return this.owner.params;
  }
  writeDue(name: string, due: number | undefined): void {
    const bag = this.state.due as Record<string, number | undefined>;
    if (due === undefined) delete bag[name];
    else bag[name] = due;
  }
}

export class AlertRuntime extends TimerOwner {
  readonly ownerKind = 'alert';
  constructor(
    readonly alert: Alert,
    readonly key: string,
    /** The resident or elevator whose colour this alert feeds (device alerts roll up to the owner). */
    public risk: SubjectRuntime | undefined,
    public site: SiteRuntime | undefined,
  ) {
    super();
  }
  writeDue(name: string, due: number | undefined): void {
    const a = this.alert;
    if (name === 'escalate') {
      if (due === undefined) delete a.nextEscalationAt;
      else a.nextEscalationAt = due;
    } else if (name === 'remind') {
      if (due === undefined) delete a.nextReminderAt;
      else a.nextReminderAt = due;
    } else if (name === 'call') {
      if (due === undefined) delete a.callTimeoutAt;
      else a.callTimeoutAt = due;
    } else if (due === undefined) delete a.autoClearAt;
    else a.autoClearAt = due;
  }
}

export function alertKey(subject: SubjectRef, rule: string, deviceId: string | undefined): string {
  return deviceId === undefined ? `${subject.type}:${subject.id}|${rule}` : `${subject.type}:${subject.id}|${rule}|${deviceId}`;
}
