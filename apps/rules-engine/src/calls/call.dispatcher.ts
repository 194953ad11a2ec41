import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { RegistryStore } from '@hearthbeat/registry';
import type { Clock } from '../driver/clock';
import type { EngineConfig } from '../engine.config';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY, WEBHOOK_SENDER } from '../engine.tokens';
import type { EventConsumer } from '../retention/event-retention';
import type { WebhookSender } from '../webhooks/webhook.sender';
import { renderCallRequest, renderCheckCallRequest } from './call-request';
import { CallStore, type CallGateway } from './call.store';
import { CallWorker } from './call.worker';

/** What the retention waits for: the call worker's persisted cursor, once the worker (when running) caught up. */
export function callConsumer(store: CallStore, worker?: Pick<CallWorker, 'catchUp'>): EventConsumer {
  return {
    name: 'calls',
    consumedThrough: () => {
      worker?.catchUp();
      return store.cursor();
    },
  };
}

/**
 * Runs the call-request worker (call.worker.ts) for the engine's lifetime. The events table is the
 * source of truth; the live event stream only wakes the worker. Retry timings are the webhooks' ones
 * (HB_WEBHOOK_RETRY_BASE_MS, HB_WEBHOOK_RETRY_MAX_S, HB_WEBHOOK_TIMEOUT_S): the same kind of gateway.
 */
@Injectable()
export class CallDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker?: CallWorker;
  private sub?: Subscription;
  private readonly attempts: Counter;

  constructor(
    private readonly runtime: EngineRuntime,
    private readonly store: CallStore,
    private readonly http: HttpAdapterHost,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(WEBHOOK_SENDER) private readonly send: WebhookSender,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
  ) {
    this.attempts = new Counter({
      name: 'hb_engine_call_requests_total',
      help: 'Check-in call requests to voice gateways, by result (sent, failed: will retry, expired, cancelled)',
      labelNames: ['result'],
      registers: [runtime.metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.store.initCursor(this.runtime.engineStore.lastEventSeq());
    this.worker = new CallWorker({
      store: this.store,
      events: this.runtime.engineStore,
      clock: this.clock,
      send: this.send,
      retryBaseMs: this.config.api.webhookRetryBaseMs,
      retryMaxMs: this.config.api.webhookRetryMaxMs,
      timeoutMs: this.config.api.webhookTimeoutMs,
      render: (ev) =>
        ev.type === 'alert'
          ? renderCallRequest(ev, this.registry.getResident(ev.alert.subject.id))
          : ev.type === 'check_call'
            ? renderCheckCallRequest(ev, this.registry.getResident(ev.subject.id))
            : undefined,
      callbackUrl: (callId, gateway) => `${this.baseUrl(gateway)}/api/calls/${encodeURIComponent(callId)}/result`,
      awaited: (callId) => this.runtime.driver.rules.callAwaited(callId),
      onAttempt: (result, q, detail) => {
        this.attempts.inc({ result });
        if (result === 'failed') this.log.warn({ call: q.callId, site: q.site, ...detail }, 'call request not accepted; will retry');
        else this.log.info({ call: q.callId, site: q.site, result }, `call request ${result}`);
      },
      onError: (err) => this.log.error({ err }, 'call worker error'),
    });
    this.sub = this.runtime.driver.events$.subscribe(({ event }) => {
      if ((event.type === 'alert' && event.change === 'call_placed') || (event.type === 'check_call' && event.change === 'placed')) this.worker?.wake();
    });
    this.worker.start();
  }

  /** The call worker, as the retention of the events table sees it. */
  eventConsumer(): EventConsumer {
    return callConsumer(this.store, this.worker);
  }

  /** A configuration changed: look at the queue again (a request waiting for a gateway may go now). */
  wake(): void {
    this.worker?.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.sub?.unsubscribe();
    await this.worker?.stop();
  }

  /** The gateway's configured callback base, else the address the engine listens on. */
  private baseUrl(gateway: CallGateway): string {
    if (gateway.callbackBaseUrl) return gateway.callbackBaseUrl.replace(/\/+$/, '');
    const address: unknown = this.http.httpAdapter?.getHttpServer()?.address();
    const port: unknown = typeof address === 'object' && address !== null ? Reflect.get(address, 'port') : undefined;
    const host = ['0.0.0.0', '::', ''].includes(this.config.platform.host) ? '127.0.0.1' : this.config.platform.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${typeof port === 'number' ? port : this.config.platform.httpPort}`;
  }
}
