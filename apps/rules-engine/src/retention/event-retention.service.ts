import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { CallDispatcher } from '../calls/call.dispatcher';
import { CallStore } from '../calls/call.store';
import type { Clock } from '../driver/clock';
import type { EngineConfig } from '../engine.config';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, ENGINE_CONFIG, LOGGER } from '../engine.tokens';
import { EngineMetrics } from '../ops/engine.metrics';
import { WebhookDispatcher } from '../webhooks/webhook.dispatcher';
import { EventRetention, type RetentionRun } from './event-retention';

/**
 * Runs the events table's retention (event-retention.ts) for the engine's lifetime: HB_EVENTS_RETAIN_DAYS,
 * the engine's clock, the call worker and every webhook as consumers, then the finished webhook
 * deliveries and call requests; counts in /metrics and says in the log what it pruned and who holds it back.
 */
@Injectable()
export class EventRetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private retention?: EventRetention;

  constructor(
    private readonly runtime: EngineRuntime,
    private readonly calls: CallDispatcher,
    private readonly callStore: CallStore,
    private readonly webhooks: WebhookDispatcher,
    private readonly metrics: EngineMetrics,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.retention = new EventRetention({
      store: this.runtime.engineStore,
      clock: this.clock,
      retainMs: this.config.eventsRetainMs,
      consumers: () => [this.calls.eventConsumer(), ...this.webhooks.eventConsumers()],
      finished: [
        { table: 'webhook_deliveries', pruneFinished: (before, limit) => this.webhooks.store.pruneFinished(before, limit) },
        { table: 'call_requests', pruneFinished: (before, limit) => this.callStore.pruneFinished(before, limit) },
      ],
      onPruned: (n, table) => this.metrics.pruned(table, n),
      onRun: (run) => this.report(run),
      onError: (err) => this.log.error({ err }, 'pruning the events table failed; trying again at the next pass'),
    });
    // The first pass waits for a timer turn: every provider's bootstrap (the workers) has run by then.
    this.retention.start();
  }

  /** One pass now (tests; the timer runs one at start and then hourly). */
  runOnce(): Promise<RetentionRun> {
    if (!this.retention) throw new Error('engine not started');
    return this.retention.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.retention?.stop();
  }

  private report(run: RetentionRun): void {
    this.metrics.pruneHeldBackBy(run.heldBackBy.map((c) => c.name));
    const retainDays = this.config.eventsRetainMs / (24 * 3600 * 1000);
    if (run.deleted > 0) this.log.info({ deleted: run.deleted, prunedThrough: run.prunedThrough, retainDays }, 'old events pruned');
    const finished = Object.fromEntries(Object.entries(run.finished ?? {}).filter(([, n]) => n > 0));
    if (Object.keys(finished).length > 0) this.log.info({ deleted: finished, retainDays }, 'old finished webhook deliveries and call requests pruned');
    if (run.oldestDue && run.heldBackBy.length > 0) {
      this.log.warn(
        { heldBackBy: run.heldBackBy, oldestKept: { seq: run.oldestDue.seq, at: new Date(run.oldestDue.at).toISOString() }, retainDays },
        'events older than the retention kept: a consumer has not taken them yet (see its errors; removing a webhook releases them)',
      );
    }
  }
}
