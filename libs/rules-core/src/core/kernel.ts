import type { Alert } from '@hearthbeat/contracts';
import { DeadlineQueue } from '../time/deadline-queue';
import type { CoreEvent, DeviceHealthEvent } from './core-events';
import { AlertRuntime, DeviceRuntime, SubjectRuntime, type CoreTimer, type SiteRuntime, type TimerName, type TimerOwner } from './runtime';
import type { AlertBook } from '../alerts/alert-book';
import type { RiskTracker } from '../risk/risk-tracker';
import type { AwayCalendar } from '../away/away-calendar';
import type { RoutineWatch } from '../rules/water/routine/routine-deviation.rule';

export interface CoreOptions {
  /** Risk colours step down at most one colour per this many seconds (default 6 h). */
  riskStepDownS?: number;
  /** How far back resolved alerts count towards a subject's colour (default 7 days). */
  riskHistoryS?: number;
  /** Alert ids are `${idPrefix}${sequence}` (default "AL-"). */
  idPrefix?: string;
  /** Keep track of changed records for drainDirty() (default true; a backtest may turn it off). */
  trackDirty?: boolean;
  /** Resolved alerts stay in memory (for comments and cooldown re-opening) at least this long (default 1 day). */
  retainResolvedS?: number;
}

export interface ResolvedOptions {
  riskStepDownMs: number;
  riskHistoryMs: number;
  idPrefix: string;
  trackDirty: boolean;
  retainResolvedMs: number;
}

export function resolveOptions(o: CoreOptions = {}): ResolvedOptions {
  return {
    riskStepDownMs: (o.riskStepDownS ?? 6 * 3600) * 1000,
    riskHistoryMs: (o.riskHistoryS ?? 7 * 24 * 3600) * 1000,
    idPrefix: o.idPrefix ?? 'AL-',
    trackDirty: o.trackDirty ?? true,
    retainResolvedMs: (o.retainResolvedS ?? 24 * 3600) * 1000,
  };
}

/**
 * The shared internals every part of the core works on: the compiled registry, the deadline queue,
 * the alerts, the events of the current call and the records changed since the last drain.
 */
export class Kernel {
  /** The latest time the core has been told about (messages, deadlines, actions). */
  clock = 0;
  /**
   * The time the current advance() brings the core to (deadlines fire at their own due times, up to it):
   * how far behind a firing deadline is. Not persisted.
   */
  horizon = 0;
  /** True once time has been given (devices' offline deadlines are armed then). */
  started = false;
  alertSeq = 0;
  readonly queue = new DeadlineQueue<CoreTimer>();
  sites = new Map<string, SiteRuntime>();
  subjects = new Map<string, SubjectRuntime>();
  devices = new Map<string, DeviceRuntime>();
  readonly alerts = new Map<string, AlertRuntime>();
  /** The latest alert per (subject, rule[, device]) key: open, or resolved and still remembered. */
  readonly byKey = new Map<string, AlertRuntime>();
  /** Resolved alerts in resolution order, to forget them after retainResolvedMs. */
  readonly resolvedFifo: AlertRuntime[] = [];
  out: CoreEvent[] | null = null;
  readonly dirtyDevices = new Set<DeviceRuntime>();
  readonly dirtySubjects = new Set<SubjectRuntime>();
  readonly dirtyAlerts = new Set<AlertRuntime>();
  metaDirty = false;

  // Wired by RulesCore after construction (they need the kernel themselves).
  book!: AlertBook;
  risk!: RiskTracker;
  away!: AwayCalendar;
  routine!: RoutineWatch;

  constructor(readonly options: ResolvedOptions) {}

  tick(at: number): void {
    if (at > this.clock) this.clock = at;
  }

  emit(ev: CoreEvent): void {
    (this.out ??= []).push(ev);
  }

  takeEvents(): readonly CoreEvent[] {
    const out = this.out;
    this.out = null;
    return out ?? NO_EVENTS;
  }

  setTimer(owner: TimerOwner, name: TimerName, due: number, order?: number): void {
    const t = owner.timer(name);
    if (t.index >= 0 && t.due === due) return;
    this.queue.schedule(t, due, order);
    owner.writeDue(name, due);
    this.touch(owner);
  }

  clearTimer(owner: TimerOwner, name: string): void {
    const t = owner.timers[name];
    if (!t || t.index < 0) return;
    this.queue.cancel(t);
    owner.writeDue(name, undefined);
    this.touch(owner);
  }

  touch(owner: TimerOwner): void {
    if (!this.options.trackDirty) return;
    if (owner instanceof DeviceRuntime) this.dirtyDevices.add(owner);
    else if (owner instanceof SubjectRuntime) this.dirtySubjects.add(owner);
    else if (owner instanceof AlertRuntime) this.dirtyAlerts.add(owner);
  }

  touchMeta(): void {
    if (this.options.trackDirty) this.metaDirty = true;
  }

  deviceEvent(dev: DeviceRuntime, change: DeviceHealthEvent['change'], at: number): void {
    const s = dev.state;
    const ev: DeviceHealthEvent = {
      type: 'device',
      at,
      deviceId: dev.id,
      kind: dev.kind,
      owner: dev.owner.ref,
      site: dev.site.id,
      change,
      online: s.online,
    };
    if (s.lastSeenAt !== undefined) ev.lastSeenAt = s.lastSeenAt;
    if (s.batteryPct !== undefined) ev.batteryPct = s.batteryPct;
    this.emit(ev);
  }

  nextAlertId(): string {
    this.alertSeq += 1;
    this.touchMeta();
    return `${this.options.idPrefix}${String(this.alertSeq).padStart(6, '0')}`;
  }

  /** Drops resolved alerts from memory once they are old enough (their rows stay with the engine). */
  forgetResolved(now: number): void {
    const fifo = this.resolvedFifo;
    let i = 0;
    while (i < fifo.length) {
      const ar = fifo[i] as AlertRuntime;
      const a = ar.alert;
      if (a.state === 'resolved' && a.resolvedAt !== undefined && a.resolvedAt + this.retainMs(ar) > now) break;
      if (a.state === 'resolved') {
        this.alerts.delete(a.id);
        if (this.byKey.get(ar.key) === ar) this.byKey.delete(ar.key);
      }
      i++;
    }
    if (i > 0) fifo.splice(0, i);
  }

  retainMs(ar: AlertRuntime): number {
    const cooldown = ar.risk?.params[ar.alert.rule].cooldownS ?? 0;
    return Math.max(this.options.retainResolvedMs, cooldown * 1000);
  }
}

export const NO_EVENTS: readonly CoreEvent[] = Object.freeze([]);

/** A copy of an alert for events and readers: the timeline array is copied, its entries are frozen. */
export function alertView(a: Alert): Alert {
  return { ...a, subject: { ...a.subject }, timeline: a.timeline.slice() };
}
