import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { buildCoreRegistry, type CoreRegistry } from '@hearthbeat/rules-core';
import type { RegistryStore } from '@hearthbeat/registry';
import { CoreDriver } from './driver/core-driver';
import type { Clock } from './driver/clock';
import { MessageGate } from './ingest/message-gate';
import { MqttIngest } from './ingest/mqtt-ingest';
import { EngineMetrics } from './ops/engine.metrics';
import { EngineStore } from './store/engine-store';
import { AuditLog } from './audit/audit-log';
import { CallStore } from './calls/call.store';
import { TelemetryHolder } from './history/telemetry.holder';
import type { EngineConfig } from './engine.config';
import { CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY } from './engine.tokens';

/**
 * Owns the engine's moving parts: the store, the core driver and the MQTT subscription. The store and
 * core open at module init, MQTT at bootstrap; shutdown stops the subscription first, the store last.
 */
@Injectable()
export class EngineRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly gate: MessageGate;
  private store?: EngineStore;
  private auditLog?: AuditLog;
  private driverRef?: CoreDriver;
  private ingest?: MqttIngest;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    readonly metrics: EngineMetrics,
    private readonly calls: CallStore,
    private readonly telemetry: TelemetryHolder,
  ) {
    this.gate = new MessageGate(registry);
  }

  get driver(): CoreDriver {
    if (!this.driverRef) throw new Error('engine not started');
    return this.driverRef;
  }

  get ready(): { store: boolean; engine: boolean; mqtt: boolean } {
    return { store: this.store !== undefined, engine: this.driverRef !== undefined, mqtt: this.ingest?.connected ?? false };
  }

  get engineStore(): EngineStore {
    if (!this.store) throw new Error('engine not started');
    return this.store;
  }

  /** The tamper-evident log, written in every step's transaction (audit/audit-log.ts). */
  get audit(): AuditLog {
    if (!this.auditLog) throw new Error('engine not started');
    return this.auditLog;
  }

  /** What the rules see of the registry, with the sites' check-in call policies (kept in engine.sqlite). */
  coreRegistry(): CoreRegistry {
    return buildCoreRegistry(this.registry.exportRegistry(), {}, this.calls.policies());
  }

  /**
   * The store and the core open at module init, before any provider's bootstrap hook, so that the
   * edges (webhook dispatcher, live gateway) can rely on them; MQTT starts at bootstrap.
   */
  onModuleInit(): void {
    this.store = new EngineStore(this.config.platform.dataDir);
    // Before the first step: every step's timeline entries join its transaction from the start.
    this.auditLog = new AuditLog(this.store.connection);
    const store = this.store;
    const backfilled = this.auditLog.backfill(() => store.allAlerts());
    if (backfilled > 0) this.log.info({ entries: backfilled }, 'audit log started from the stored alert timelines');
    this.store.addStepHook(this.auditLog.onStep);
    this.driverRef = CoreDriver.open({
      registry: this.coreRegistry(),
      store: this.store,
      gate: this.gate,
      clock: this.clock,
      metrics: this.metrics,
      log: this.log,
      graceMs: this.config.restartGraceMs,
      ...(this.telemetry.store ? { telemetry: this.telemetry.record } : {}),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const driver = this.driver;
    this.ingest = new MqttIngest({
      url: this.config.mqttUrl,
      username: this.config.mqttUsername,
      password: this.config.mqttPassword,
      clientId: this.config.mqttClientId,
      onMessage: driver.onMessage,
      onConnectionChange: (up) => {
        this.metrics.mqttConnected.set(up ? 1 : 0);
        this.log.info({ url: this.config.mqttUrl, up }, up ? 'connected to broker' : 'disconnected from broker');
      },
    });
    await this.ingest.start();
  }

  /** MQTT first (no new steps), then the core; the store closes last, after every edge has stopped. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.ingest?.stop().catch((err: unknown) => this.log.warn({ err }, 'mqtt stop failed'));
    this.driverRef?.stop();
  }

  onApplicationShutdown(): void {
    this.store?.close();
    this.ingest = undefined;
    this.driverRef = undefined;
    this.auditLog = undefined;
    this.store = undefined;
    this.calls.close();
  }
}
