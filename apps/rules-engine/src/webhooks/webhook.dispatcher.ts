import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import type { Clock } from '../driver/clock';
import type { EngineConfig } from '../engine.config';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, ENGINE_CONFIG, LOGGER, WEBHOOK_SENDER } from '../engine.tokens';
import { EngineMetrics } from '../ops/engine.metrics';
import type { EventConsumer } from '../retention/event-retention';
import type { WebhookSender } from './webhook.sender';
import { WebhookStore, type Webhook } from './webhook.store';
import { WebhookWorker } from './webhook.worker';

/** What the retention waits for: the webhook's persisted cursor, once its worker (when running) caught up. */
export function webhookConsumer(store: WebhookStore, hookId: string, worker?: Pick<WebhookWorker, 'catchUp'>): EventConsumer {
  return {
    name: `webhook:${hookId}`,
    consumedThrough: () => {
      worker?.catchUp();
      // Removed meanwhile: it needs nothing.
      return store.get(hookId)?.scanSeq ?? Number.MAX_SAFE_INTEGER;
    },
  };
}

/**
 * Runs one WebhookWorker per configured webhook. Workers read the engine's events table (the source
 * of truth, written in the same transaction as each engine step); the live event stream only wakes
 * them. After a restart every worker resumes from its stored cursor and its pending deliveries.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly store: WebhookStore;
  private readonly workers = new Map<string, WebhookWorker>();
  private sub?: Subscription;

  constructor(
    private readonly runtime: EngineRuntime,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(WEBHOOK_SENDER) private readonly send: WebhookSender,
    private readonly metrics: EngineMetrics,
  ) {
    this.store = new WebhookStore(config.platform.dataDir);
  }

  onApplicationBootstrap(): void {
    for (const hook of this.store.list()) this.startWorker(hook);
    this.sub = this.runtime.driver.events$.subscribe(({ event }) => {
      if (event.type !== 'alert') return;
      for (const w of this.workers.values()) if (w.hook.site === event.alert.site) w.wake();
    });
    this.updateGauge();
  }

  /** Every stored webhook, as the retention of the events table sees it. */
  eventConsumers(): EventConsumer[] {
    return this.store.list().map((hook) => webhookConsumer(this.store, hook.id, this.workers.get(hook.id)));
  }

  /** A rejected delivery was put back in the queue: its worker sends it next. */
  wake(id: string): void {
    this.workers.get(id)?.wake();
    this.updateGauge();
  }

  add(hook: Webhook): void {
    this.store.create(hook);
    this.startWorker({ ...hook });
  }

  async remove(id: string): Promise<boolean> {
    await this.workers.get(id)?.stop();
    this.workers.delete(id);
    const removed = this.store.delete(id);
    this.updateGauge();
    return removed;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.sub?.unsubscribe();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
  }

  onApplicationShutdown(): void {
    this.store.close();
  }

  private startWorker(hook: Webhook): void {
    const worker = new WebhookWorker(hook, {
      store: this.store,
      events: this.runtime.engineStore,
      clock: this.clock,
      send: this.send,
      retryBaseMs: this.config.api.webhookRetryBaseMs,
      retryMaxMs: this.config.api.webhookRetryMaxMs,
      timeoutMs: this.config.api.webhookTimeoutMs,
      rejectAfter: this.config.api.webhookRejectAfter,
      onAttempt: (result, h, deliveryId, detail) => {
        this.metrics.webhookAttempt(result);
        this.updateGauge();
        if (result === 'failed') this.log.warn({ webhook: h.id, site: h.site, delivery: deliveryId, ...detail }, 'webhook delivery failed; will retry');
        else if (result === 'rejected') this.log.error({ webhook: h.id, site: h.site, delivery: deliveryId, ...detail }, 'webhook receiver refused the payload; delivery set aside (redeliver it once the receiver is fixed)');
        else this.log.debug({ webhook: h.id, delivery: deliveryId, attempts: detail.attempts }, 'webhook delivered');
      },
      onError: (err, h) => this.log.error({ err, webhook: h.id }, 'webhook worker error'),
    });
    this.workers.set(hook.id, worker);
    worker.start();
  }

  private updateGauge(): void {
    this.metrics.webhookPending.set(this.store.pendingCount());
  }
}
