import { Controller, Get, Header, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { EngineRuntime } from '../engine.runtime';
import { BROKER_HEALTH } from '../engine.tokens';

export type BrokerHealth = { ready(): boolean; metrics?: Registry };

/** /health (ready only when broker, store and engine are) and Prometheus /metrics. No token. */
@Controller()
export class OpsController {
  constructor(
    private readonly runtime: EngineRuntime,
    @Optional() @Inject(BROKER_HEALTH) private readonly broker?: BrokerHealth,
  ) {}

  @Get('health')
  health(@Res() res: Response): void {
    const parts = { ...this.runtime.ready, ...(this.broker ? { broker: this.broker.ready() } : {}) };
    const ready = Object.values(parts).every(Boolean);
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ready ? 'ready' : 'not_ready', ...parts });
  }

  @Get('metrics')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  async metrics(): Promise<string> {
    const alerts = this.runtime.metrics.alertsByState;
    alerts.reset();
    if (this.runtime.ready.engine) for (const a of this.runtime.driver.rules.alerts()) alerts.inc({ rule: a.rule, state: a.state });
    const registries = [this.runtime.metrics.registry, ...(this.broker?.metrics ? [this.broker.metrics] : [])];
    return Registry.merge(registries).metrics();
  }
}
