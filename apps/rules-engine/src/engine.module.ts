import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RegistryStore } from '@hearthbeat/registry';
import { systemClock, type Clock } from './driver/clock';
import type { EngineConfig } from './engine.config';
import { EngineRuntime } from './engine.runtime';
import { BROKER_HEALTH, CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY } from './engine.tokens';
import { OpsController, type BrokerHealth } from './ops/ops.controller';

export interface EngineDeps {
  config: EngineConfig;
  registry: RegistryStore;
  logger: Logger;
  clock?: Clock;
  /** When the broker runs in the same process: its readiness and metrics join /health and /metrics. */
  broker?: BrokerHealth;
}

@Module({})
export class EngineModule {
  static forRoot(deps: EngineDeps): DynamicModule {
    const providers: Provider[] = [
      { provide: ENGINE_CONFIG, useValue: deps.config },
      { provide: REGISTRY, useValue: deps.registry },
      { provide: CLOCK, useValue: deps.clock ?? systemClock },
      { provide: LOGGER, useValue: deps.logger },
      EngineRuntime,
    ];
    if (deps.broker) providers.push({ provide: BROKER_HEALTH, useValue: deps.broker });
    return { module: EngineModule, controllers: [OpsController], providers, exports: [EngineRuntime] };
  }
}
