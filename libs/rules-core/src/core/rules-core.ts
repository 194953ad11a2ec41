import type { Alert, AwayPeriod, CallResult, DeviceMessage, Outcome, RiskColour, SubjectRef } from '@hearthbeat/contracts';
import { CallNotFoundError, SubjectNotFoundError } from '../errors';
import { assertCallResult } from '../alerts/check-in-call';
import { AlertBook } from '../alerts/alert-book';
import { AwayCalendar } from '../away/away-calendar';
import type { CoreRegistry } from '../registry/core-registry.types';
import { RiskTracker } from '../risk/risk-tracker';
import { notRinging, RoutineWatch, routineCallOf, type NotRinging } from '../rules/water/routine/routine-deviation.rule';
import { scheduleOffline } from '../rules/device/device-offline.rule';
import type { DeviceState } from '../state/device-state';
import type { AwayEntry } from '../state/subject-state';
import type { CoreEvent } from './core-events';
import { armDevice, fireTimer, ingestMessage } from './dispatch';
import { Kernel, alertView, resolveOptions, type CoreOptions } from './kernel';
import { checkSnapshot, drain, loadAlerts, rebuildTimers, takeSnapshot, type CoreSnapshot, type DirtyState } from './persistence';
import { applyRegistry, linkAlert } from './registry-compiler';
import type { DeviceRuntime, SubjectRuntime } from './runtime';
import { summarizeRoutine, type RoutineSummary } from '../rules/water/routine/routine-summary';

export interface RulesCoreInit {
  registry: CoreRegistry;
  options?: CoreOptions;
}

/**
 * The rules core: values and time in, decisions out. No I/O, no timers, no clock of its own: every
 * call carries the time (ms since the epoch). Drivers:
 *  - live engine: ingest(msg, Date.now()) per MQTT message; one wall-clock timer set to
 *    nextDeadline(), calling advance(Date.now()) when it rings; after every call, drainDirty() into one
 *    SQLite transaction together with the returned events.
 *  - backtest: for each logged message at receive time t: advance(t), then ingest(msg, t); at the end
 *    advance(end). Virtual time, same code.
 *  - tests: the same calls with made-up times.
 * Every method returns the events it caused, in order.
 */
export class RulesCore {
  private readonly k: Kernel;
  private needsResume = false;

  constructor(init: RulesCoreInit) {
    this.k = RulesCore.kernel(init);
    applyRegistry(this.k, init.registry, 0);
    this.k.takeEvents();
  }

  private static kernel(init: RulesCoreInit): Kernel {
    const k = new Kernel(resolveOptions(init.options));
    k.risk = new RiskTracker(k);
    k.book = new AlertBook(k);
    k.away = new AwayCalendar(k);
    k.routine = new RoutineWatch(k);
    return k;
  }

  /** Rebuilds a core from a snapshot (or from the rows drainDirty() wrote). Call resumeAfterRestart next. */
  static restore(snapshot: CoreSnapshot, init: RulesCoreInit): RulesCore {
    checkSnapshot(snapshot);
    const core = Object.create(RulesCore.prototype) as RulesCore;
    const k = RulesCore.kernel(init);
    Object.assign(core, { k, needsResume: true });
    k.alertSeq = snapshot.meta.alertSeq;
    k.clock = snapshot.meta.clock;
    const devices = new Map<string, DeviceState>();
    for (const d of snapshot.devices) devices.set(d.id, structuredClone(d));
    const subjects = new Map(snapshot.subjects.map((s) => [`${s.type}:${s.id}`, structuredClone(s)]));
    applyRegistry(k, init.registry, k.clock, { devices, subjects });
    loadAlerts(k, snapshot.alerts, k.clock);
    for (const ar of k.alerts.values()) linkAlert(k, ar);
    rebuildTimers(k);
    k.takeEvents();
    k.dirtyDevices.clear();
    k.dirtySubjects.clear();
    k.dirtyAlerts.clear();
    k.metaDirty = false;
    return core;
  }

  /**
   * After restore: the platform was not listening while it was down. Every device gets a full offline
   * period from `now` (no offline storm), and every deadline that passed meanwhile, or falls within the
   * grace, fires once at now + graceMs, in its original order, after devices had the grace to
   * reconnect and backfill.
   */
  resumeAfterRestart(now: number, graceMs: number): readonly CoreEvent[] {
    const k = this.k;
    this.needsResume = false;
    k.started = true;
    k.tick(now);
    const graceEnd = now + Math.max(0, graceMs);
    for (const dev of k.devices.values()) {
      if (dev.state.listenSince < now) dev.state.listenSince = now;
      k.touch(dev);
      if (dev.state.lastSeenAt === undefined && Object.keys(dev.state.due).length === 0) armDevice(k, dev, now);
      else scheduleOffline(k, dev);
    }
    for (const t of [...k.queue.all()]) {
      if (t.due < graceEnd) {
        k.queue.schedule(t, graceEnd, t.due);
        t.owner.writeDue(t.name, graceEnd);
        k.touch(t.owner);
      }
    }
    return k.takeEvents();
  }

  /** Replaces the registry (live edits). New devices start listening at `at`; parameters apply at once. */
  updateRegistry(registry: CoreRegistry, at: number): readonly CoreEvent[] {
    const k = this.k;
    this.start(at);
    k.tick(at);
    const fresh = applyRegistry(k, registry, at);
    for (const dev of k.devices.values()) if (!fresh.includes(dev)) armDevice(k, dev, at);
    for (const dev of fresh) armDevice(k, dev, at);
    return k.takeEvents();
  }

  /** Evaluates one parsed device message received at `receivedAt`. Call advance(receivedAt) first. */
  ingest(message: DeviceMessage, receivedAt: number): readonly CoreEvent[] {
    this.start(receivedAt);
    ingestMessage(this.k, message, receivedAt);
    return this.k.takeEvents();
  }

  /** Fires every deadline due at or before `now`, in time order. */
  advance(now: number): readonly CoreEvent[] {
    const k = this.k;
    this.start(now);
    k.horizon = now;
    for (;;) {
      const t = k.queue.popDue(now);
      if (!t) break;
      fireTimer(k, t);
    }
    k.tick(now);
    k.forgetResolved(now);
    return k.takeEvents();
  }

  /** When advance() next has something to do (a live driver sets one timer for it). */
  nextDeadline(): number | undefined {
    return this.k.queue.nextDue();
  }

  // ---- staff and API actions (throw named errors from ../errors) -------------------------------

  acknowledge(alertId: string, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => this.k.book.acknowledge(alertId, by, at));
  }

  assign(alertId: string, assignee: string, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => this.k.book.assign(alertId, assignee, by, at));
  }

  comment(alertId: string, text: string, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => this.k.book.comment(alertId, text, by, at));
  }

  resolve(alertId: string, outcome: Outcome, note: string, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => {
      this.k.book.resolve(alertId, outcome, note, by, at);
      const a = this.k.alerts.get(alertId)?.alert;
      const subject = a && this.k.subjects.get(`${a.subject.type}:${a.subject.id}`);
      if (a && subject) this.k.routine.onResolved(subject, a, outcome, at);
    });
  }

  /** A person reports being on site (response times; entrapment rescue). Acknowledges an open alert. */
  onSite(alertId: string, by: string, at: number, note?: string): readonly CoreEvent[] {
    return this.act(at, () => this.k.book.onSite(alertId, by, at, note));
  }

  /** The voice gateway's result for a check-in call (docs/field-workflow.md); `at` is when it arrived. */
  callResult(callId: string, result: CallResult, at: number, note?: string): readonly CoreEvent[] {
    const routine = routineCallOf(callId);
    if (routine) {
      assertCallResult(result);
      const s = this.k.subjects.get(`resident:${routine.residentId}`);
      if (!s) throw new CallNotFoundError(callId);
      return this.act(at, () => this.k.routine.callResult(s, callId, routine.n, result, at));
    }
    return this.act(at, () => this.k.book.calls.result(callId, result, at, note));
  }

  /** Whether the rules still wait for this call's result (an alert's call, or a routine check-in call). */
  callAwaited(callId: string): boolean {
    const routine = routineCallOf(callId);
    if (routine) {
      const s = this.k.subjects.get(`resident:${routine.residentId}`);
      return s !== undefined && this.k.routine.callAwaited(s, callId);
    }
    return this.k.book.calls.awaited(callId);
  }

  /**
   * Resolves as a false alarm and emits `marked_normal`. For water.routine_deviation it also teaches the
   * resident's routine: the day is learned as it is and raises no further routine alert.
   */
  markNormal(alertId: string, note: string, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => {
      const ar = this.k.book.markNormal(alertId, note, by, at);
      const a = ar.alert;
      const subject = this.k.subjects.get(`${a.subject.type}:${a.subject.id}`);
      if (subject) this.k.routine.markNormal(subject, a, at);
      this.k.emit({ type: 'marked_normal', at, subject: { ...a.subject }, site: a.site, rule: a.rule, alertId: a.id, by, note });
    });
  }

  addAway(residentId: string, period: AwayPeriod, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => this.k.away.add(this.resident(residentId), period, by, at));
  }

  /** Ends the away period `awayId`, or the one running at `at` when undefined. */
  endAway(residentId: string, awayId: string | undefined, by: string, at: number): readonly CoreEvent[] {
    return this.act(at, () => this.k.away.end(this.resident(residentId), awayId, by, at));
  }

  // ---- reading ---------------------------------------------------------------------------------

  getAlert(alertId: string): Alert | undefined {
    const ar = this.k.alerts.get(alertId);
    return ar ? alertView(ar.alert) : undefined;
  }

  /** Alerts in memory (unresolved ones and recently resolved ones), oldest first. */
  alerts(filter: { state?: Alert['state'] | 'unresolved' } = {}): Alert[] {
    const out: Alert[] = [];
    for (const ar of this.k.alerts.values()) {
      const s = ar.alert.state;
      if (filter.state === undefined || s === filter.state || (filter.state === 'unresolved' && s !== 'resolved')) out.push(alertView(ar.alert));
    }
    return out;
  }

  riskOf(subject: SubjectRef): RiskColour | undefined {
    return this.k.subjects.get(`${subject.type}:${subject.id}`)?.state.risk.colour;
  }

  awayOf(residentId: string): AwayEntry[] {
    return structuredClone(this.resident(residentId).state.away);
  }

  /** The resident's learned routine (water.routine_deviation) as staff read it; throws for an unknown resident. */
  routineOf(residentId: string): RoutineSummary {
    const s = this.resident(residentId);
    return summarizeRoutine(s.state.routine, s.params['water.routine_deviation'], this.k.routine.expectation(s));
  }

  /** Whether the learned routine rings the resident before alerting on a quiet spell, and if not why; throws for an unknown resident. */
  checkInOf(residentId: string): { ringsFirst: boolean; because?: NotRinging } {
    const because = notRinging(this.resident(residentId));
    return because ? { ringsFirst: false, because } : { ringsFirst: true };
  }

  deviceState(deviceId: string): DeviceState | undefined {
    const d: DeviceRuntime | undefined = this.k.devices.get(deviceId);
    return d ? structuredClone(d.state) : undefined;
  }

  // ---- persistence -----------------------------------------------------------------------------

  snapshot(): CoreSnapshot {
    return takeSnapshot(this.k);
  }

  /** The records changed since the last call, as copies: write them (and the events) in one transaction. */
  drainDirty(): DirtyState {
    return drain(this.k);
  }

  // ---- internals -------------------------------------------------------------------------------

  private start(at: number): void {
    const k = this.k;
    if (this.needsResume) {
      this.resumeAfterRestart(at, 0);
      return;
    }
    if (k.started) return;
    k.started = true;
    k.tick(at);
    for (const dev of k.devices.values()) {
      dev.state.listenSince = at;
      armDevice(k, dev, at);
    }
  }

  private act(at: number, fn: () => void): readonly CoreEvent[] {
    this.start(at);
    try {
      fn();
    } finally {
      this.k.tick(at);
    }
    return this.k.takeEvents();
  }

  private resident(id: string): SubjectRuntime {
    const s = this.k.subjects.get(`resident:${id}`);
    if (!s) throw new SubjectNotFoundError(id);
    return s;
  }
}
