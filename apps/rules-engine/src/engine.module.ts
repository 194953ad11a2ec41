import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import type { RegistryStore } from '@hearthbeat/registry';
import { RegistrySync } from './admin/registry-sync.service';
import { AlertsService } from './alerts/alerts.service';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { ScopePolicy } from './auth/scope.policy';
import { AwayService } from './away/away.service';
import { DeviceHealthService } from './devices/device-health.service';
import { systemClock, type Clock } from './driver/clock';
import type { EngineConfig } from './engine.config';
import { EngineRuntime } from './engine.runtime';
import { BROKER_HEALTH, CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY, WEBHOOK_SENDER } from './engine.tokens';
import { ApiExceptionFilter } from './http/error.filter';
import { ENGINE_CONTROLLERS } from './http/route-table';
import { LiveGateway } from './live/live.gateway';
import { EngineMetrics } from './ops/engine.metrics';
import type { BrokerHealth } from './ops/ops.controller';
import { RuleSettingsService } from './rule-settings/rule-settings.service';
import { SubjectsService } from './subjects/subjects.service';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher';
import { httpSender, type WebhookSender } from './webhooks/webhook.sender';
import { WebhooksService } from './webhooks/webhooks.service';
import { AuditService } from './audit/audit.service';
import { CallDispatcher } from './calls/call.dispatcher';
import { CallStore } from './calls/call.store';
import { CallsService } from './calls/calls.service';
import { ReportsService } from './reports/reports.service';
import { HistoryService } from './history/history.service';
import { TelemetryHolder } from './history/telemetry.holder';
import { EventRetentionService } from './retention/event-retention.service';

export interface EngineDeps {
  config: EngineConfig;
  registry: RegistryStore;
  logger: Logger;
  clock?: Clock;
  /** When the broker runs in the same process: its readiness, metrics and rejection table join the API. */
  broker?: BrokerHealth;
  /** How webhooks are sent (default: Node's fetch). */
  webhookSender?: WebhookSender;
}

@Module({})
export class EngineModule {
  static forRoot(deps: EngineDeps): DynamicModule {
    const providers: Provider[] = [
      { provide: ENGINE_CONFIG, useValue: deps.config },
      { provide: REGISTRY, useValue: deps.registry },
      { provide: CLOCK, useValue: deps.clock ?? systemClock },
      { provide: LOGGER, useValue: deps.logger },
      { provide: WEBHOOK_SENDER, useValue: deps.webhookSender ?? httpSender },
      { provide: EngineMetrics, useValue: new EngineMetrics() },
      // Opened before the engine runtime: the rules need the sites' check-in call policies at start.
      { provide: CallStore, useFactory: (config: EngineConfig) => new CallStore(config.platform.dataDir), inject: [ENGINE_CONFIG] },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ApiExceptionFilter },
      TelemetryHolder,
      EngineRuntime,
      HistoryService,
      AuthService,
      ScopePolicy,
      AlertsService,
      SubjectsService,
      DeviceHealthService,
      AwayService,
      RuleSettingsService,
      RegistrySync,
      WebhookDispatcher,
      WebhooksService,
      LiveGateway,
      CallDispatcher,
      CallsService,
      ReportsService,
      AuditService,
      EventRetentionService,
    ];
    if (deps.broker) providers.push({ provide: BROKER_HEALTH, useValue: deps.broker });
    return { module: EngineModule, controllers: [...ENGINE_CONTROLLERS], providers, exports: [EngineRuntime] };
  }
}
