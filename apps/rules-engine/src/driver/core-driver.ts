import { Subject } from 'rxjs';
import type { DeviceMessage } from '@hearthbeat/contracts';
import type { DeviceRecord } from '@hearthbeat/registry';
import type { CoreEvent, CoreRegistry, RulesCore as RulesCoreType } from '@hearthbeat/rules-core';
import { RulesCore } from '@hearthbeat/rules-core';
import type { EngineStore } from '../store/engine-store';
import type { MessageGate } from '../ingest/message-gate';
import type { Clock } from './clock';
import type { EngineMetrics } from '../ops/engine.metrics';

/** The longest setTimeout Node accepts; later deadlines are re-armed when this one rings. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DriverLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Where admitted messages go for history (TelemetryHolder.record); must only queue, never block. */
export type TelemetrySink = (message: DeviceMessage, device: DeviceRecord, receivedAt: number) => void;

export interface StoredEvent {
  seq: number;
  event: CoreEvent;
}

/** A device message the core has just applied (live views: elevator state, signal strength). */
export interface AdmittedMessage {
  message: DeviceMessage;
  at: number;
}

/**
 * Drives the rules core live: messages from MQTT with the wall clock, one timer set to the core's
 * next deadline, and every step (message, deadline, staff action) persisted in one transaction before
 * its events are published. The core holds all decisions; this class only connects it to time,
 * storage and listeners.
 */
export class CoreDriver {
  readonly events$ = new Subject<StoredEvent>();
  /**
   * Every message after its step was persisted and its events published. Not stored: these feed live
   * views (an elevator's floor and door), which a reconnecting client reads afresh rather than replays.
   */
  readonly admitted$ = new Subject<AdmittedMessage>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly core: RulesCoreType,
    private readonly store: EngineStore,
    private readonly gate: MessageGate,
    private readonly clock: Clock,
    private readonly metrics: EngineMetrics,
    private readonly log: DriverLogger,
    private readonly telemetry: TelemetrySink | undefined,
  ) {}

  /**
   * Opens the core from the store: a first start builds it from the registry; a restart restores it
   * and lets deadlines that passed while the engine was down fire once, after `graceMs`.
   */
  static open(deps: {
    registry: CoreRegistry;
    store: EngineStore;
    gate: MessageGate;
    clock: Clock;
    metrics: EngineMetrics;
    log: DriverLogger;
    graceMs: number;
    telemetry?: TelemetrySink;
  }): CoreDriver {
    const now = deps.clock.now();
    const snapshot = deps.store.loadSnapshot(now);
    const core = snapshot ? RulesCore.restore(snapshot, { registry: deps.registry }) : new RulesCore({ registry: deps.registry });
    const driver = new CoreDriver(core, deps.store, deps.gate, deps.clock, deps.metrics, deps.log, deps.telemetry);
    if (snapshot) {
      deps.log.info({ alerts: snapshot.alerts.length, devices: snapshot.devices.length, graceMs: deps.graceMs }, 'engine state restored');
      driver.step(() => core.resumeAfterRestart(now, deps.graceMs));
    } else {
      driver.step(() => core.advance(now));
    }
    return driver;
  }

  /** One MQTT message: the gate parses it, the core evaluates it in the same step as any due deadline. */
  readonly onMessage = (topic: string, payload: Buffer): void => {
    const now = this.clock.now();
    const admitted = this.gate.admit(topic, payload, now);
    if (!admitted.ok) {
      this.metrics.rejected(admitted.rejection.reason);
      return;
    }
    this.metrics.accepted(admitted.message.channel);
    try {
      this.step(() => [...this.core.advance(now), ...this.core.ingest(admitted.message, now)]);
      if (this.admitted$.observed) this.admitted$.next({ message: admitted.message, at: now });
    } catch (err) {
      // A fault in one message's evaluation must not take the subscription (or the process) down.
      this.metrics.failed();
      this.log.error({ err, topic }, 'message evaluation failed');
    }
    // History after the rules, so alerting never waits on it; the sink only queues.
    if (this.telemetry) {
      try {
        this.telemetry(admitted.message, admitted.device, now);
      } catch (err) {
        this.log.error({ err, topic }, 'telemetry record failed');
      }
    }
  };

  /** Runs a staff or API action against the core at the current time, persisting what it changed. */
  act(fn: (core: RulesCoreType, now: number) => readonly CoreEvent[]): StoredEvent[] {
    const now = this.clock.now();
    return this.step(() => [...this.core.advance(now), ...fn(this.core, now)]);
  }

  /** Re-evaluates deadlines now (the timer does this by itself; tests that move the clock call it). */
  tick(): StoredEvent[] {
    return this.step(() => this.core.advance(this.clock.now()));
  }

  updateRegistry(registry: CoreRegistry): StoredEvent[] {
    return this.step(() => this.core.updateRegistry(registry, this.clock.now()));
  }

  get rules(): Pick<RulesCoreType, 'alerts' | 'getAlert' | 'riskOf' | 'awayOf' | 'deviceState' | 'nextDeadline' | 'routineOf' | 'checkInOf' | 'callAwaited'> {
    return this.core;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.events$.complete();
    this.admitted$.complete();
  }

  private step(fn: () => readonly CoreEvent[]): StoredEvent[] {
    if (this.stopped) return [];
    let events: readonly CoreEvent[];
    try {
      events = fn();
    } catch (err) {
      // A named domain error (bad action) goes back to the caller; the core's state is unchanged.
      this.persist([]);
      throw err;
    }
    const stored = this.persist(events);
    this.reschedule();
    for (const s of stored) {
      this.metrics.observe(s.event);
      this.events$.next(s);
    }
    return stored;
  }

  private persist(events: readonly CoreEvent[]): StoredEvent[] {
    const dirty = this.core.drainDirty();
    const seqs = this.store.write(dirty, events);
    this.metrics.storeWrite(this.store.lastWriteMs);
    return events.map((event, i) => ({ seq: seqs[i] ?? 0, event }));
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.core.nextDeadline();
    if (next === undefined || this.stopped) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.clock.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.tick();
      } catch (err) {
        this.log.error({ err }, 'deadline evaluation failed');
        this.reschedule();
      }
    }, delay);
  }
}
