import { Controller, Get, Header, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import type { RejectionReason } from '@hearthbeat/contracts';
import { ApiTags } from '@nestjs/swagger';
import { TelemetryHolder } from '../history/telemetry.holder';
import { EngineRuntime } from '../engine.runtime';
import { Endpoint } from '../http/endpoint.decorator';
import { BROKER_HEALTH } from '../engine.tokens';

/** The in-process broker, when there is one: readiness, metrics and its table of rejected messages. */
export interface BrokerHealth {
  ready(): boolean;
  metrics?: Registry;
  rejections?(deviceId?: string): { deviceId: string; reason: RejectionReason; count: number; lastAt: number; lastMessage: string }[];
}

/** /health (ready only when broker, store and engine are) and Prometheus /metrics. No token. */
@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    private readonly runtime: EngineRuntime,
    private readonly telemetry: TelemetryHolder,
    @Optional() @Inject(BROKER_HEALTH) private readonly broker?: BrokerHealth,
  ) {}

  @Get('health')
  @Endpoint({ summary: 'Readiness: 200 when broker (in-process), store, engine and MQTT are up, else 503', access: 'public' })
  health(@Res() res: Response): void {
    const parts = { ...this.runtime.ready, ...(this.broker ? { broker: this.broker.ready() } : {}) };
    const ready = Object.values(parts).every(Boolean);
    // Telemetry is reported, never part of readiness: a dead InfluxDB must not take alerting out of service.
    const t = this.telemetry.stats();
    const telemetry = t ? { store: t.kind, buffered: t.buffered, dropped: t.dropped, ...(t.lastError ? { lastError: t.lastError } : {}) } : { store: 'none' };
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ready ? 'ready' : 'not_ready', ...parts, telemetry });
  }

  @Get('metrics')
  @Endpoint({ summary: 'Prometheus metrics (engine and, in-process, broker)', access: 'public' })
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  async metrics(): Promise<string> {
    const alerts = this.runtime.metrics.alertsByState;
    alerts.reset();
    if (this.runtime.ready.engine) for (const a of this.runtime.driver.rules.alerts()) alerts.inc({ rule: a.rule, state: a.state });
    const registries = [this.runtime.metrics.registry, ...(this.broker?.metrics ? [this.broker.metrics] : [])];
    return Registry.merge(registries).metrics();
  }
}
