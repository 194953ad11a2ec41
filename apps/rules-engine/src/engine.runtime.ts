import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { buildCoreRegistry } from '@hearthbeat/rules-core';
import type { RegistryStore } from '@hearthbeat/registry';
import { CoreDriver } from './driver/core-driver';
import type { Clock } from './driver/clock';
import { MessageGate } from './ingest/message-gate';
import { MqttIngest } from './ingest/mqtt-ingest';
import { EngineMetrics } from './ops/engine.metrics';
import { EngineStore } from './store/engine-store';
import type { EngineConfig } from './engine.config';
import { CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY } from './engine.tokens';

/**
 * Owns the engine's moving parts: the store, the core driver and the MQTT subscription. Started after
 * the Nest application is bootstrapped, stopped (subscription first, store last) on shutdown.
 */
@Injectable()
export class EngineRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly metrics = new EngineMetrics();
  readonly gate: MessageGate;
  private store?: EngineStore;
  private driverRef?: CoreDriver;
  private ingest?: MqttIngest;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
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

  async onApplicationBootstrap(): Promise<void> {
    this.store = new EngineStore(this.config.platform.dataDir);
    this.driverRef = CoreDriver.open({
      registry: buildCoreRegistry(this.registry.exportRegistry()),
      store: this.store,
      gate: this.gate,
      clock: this.clock,
      metrics: this.metrics,
      log: this.log,
      graceMs: this.config.restartGraceMs,
    });
    this.ingest = new MqttIngest({
      url: this.config.mqttUrl,
      username: this.config.mqttUsername,
      password: this.config.mqttPassword,
      clientId: this.config.mqttClientId,
      onMessage: this.driverRef.onMessage,
      onConnectionChange: (up) => {
        this.metrics.mqttConnected.set(up ? 1 : 0);
        this.log.info({ url: this.config.mqttUrl, up }, up ? 'connected to broker' : 'disconnected from broker');
      },
    });
    await this.ingest.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ingest?.stop().catch((err: unknown) => this.log.warn({ err }, 'mqtt stop failed'));
    this.driverRef?.stop();
    this.store?.close();
    this.ingest = undefined;
    this.driverRef = undefined;
    this.store = undefined;
  }
}
