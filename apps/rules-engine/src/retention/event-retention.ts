import type { Clock } from '../driver/clock';
import type { EngineStore } from '../store/engine-store';

/** A pass runs at start and then this often: an hour of events is a few thousand rows at most. */
export const PRUNE_INTERVAL_MS = 3600 * 1000;
/** Events deleted per transaction: a few milliseconds of work, so an engine step never waits long behind one. */
export const PRUNE_BATCH = 500;

/**
 * A reader of the events table that keeps its own persisted position (a webhook's scan cursor, the call
 * worker's): the events after it must stay until it has taken them into its own queue.
 */
export interface EventConsumer {
  /** For logs and /metrics: `calls`, `webhook:<id>`. */
  readonly name: string;
  /** Every event up to this seq has been taken (it may catch up first); later ones are still needed. */
  consumedThrough(): number;
}

/** The tables a pass prunes: the events, then the finished rows of the two delivery queues. */
export type RetentionTable = 'events' | 'webhook_deliveries' | 'call_requests';

/**
 * A queue derived from the events (webhook deliveries, call requests) whose rows outlive the events they
 * came from: the finished ones older than the retention go, the pending ones stay whatever their age.
 */
export interface FinishedRows {
  readonly table: Exclude<RetentionTable, 'events'>;
  /** Deletes at most `limit` rows finished before `before`, never a pending one, in one transaction; returns how many. */
  pruneFinished(before: number, limit: number): number;
}

/** What one pass did. */
export interface RetentionRun {
  /** Events stored before this time (the clock's now minus the retention) were due. */
  cutoff: number;
  deleted: number;
  /** Every event up to this seq is gone. */
  prunedThrough: number;
  /** The oldest event kept although it is older than the retention, if any. */
  oldestDue?: { seq: number; at: number };
  /** The consumers that have not taken that event yet: they hold pruning back. */
  heldBackBy: { name: string; through: number }[];
  /** Finished queue rows deleted (same cutoff, by the time each row finished), per table given. */
  finished?: Partial<Record<FinishedRows['table'], number>>;
}

export interface RetentionDeps {
  store: Pick<EngineStore, 'lastEventSeq' | 'prunedThrough' | 'oldestEvent' | 'pruneEvents'>;
  clock: Clock;
  retainMs: number;
  /** Asked at each pass (webhooks come and go). */
  consumers(): EventConsumer[];
  /** Pruned after the events, in this order, with the same cutoff and batches. */
  finished?: readonly FinishedRows[];
  /** After each committed batch (counted as it happens, even if a later batch fails). */
  onPruned(count: number, table: RetentionTable): void;
  onRun(run: RetentionRun): void;
  /** A pass started by the timer failed (it is tried again at the next interval). */
  onError(err: unknown): void;
  intervalMs?: number;
  batchSize?: number;
}

/**
 * Keeps the engine's events table bounded: events older than the retention are deleted, oldest first,
 * in batches of PRUNE_BATCH with a turn of the event loop between them (MQTT steps and API requests run
 * in between), but never one a consumer has not taken yet: nothing after the lowest consumer cursor.
 * A consumer stuck behind (its scan keeps failing) keeps everything after its cursor for as long as it
 * is stuck, and every pass names it (`heldBackBy`): losing an alert's webhook or a check-in call is
 * worse than a larger file. Then, in the same batches, the queues derived from the events (`finished`):
 * their rows that finished before the same cutoff; pending ones are never touched. Every batch is its
 * own transaction, so a crash or a stop between or during batches leaves whole rows, and the next pass
 * goes on. Times come from the engine's clock, so tests move it instead of waiting.
 */
export class EventRetention {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: RetentionDeps) {}

  /** A first pass as soon as the current start-up work is done, then one every interval. */
  start(): void {
    this.schedule(0);
  }

  /** No new pass; resolves once a pass under way has finished its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain.catch(() => undefined);
  }

  /** One pass now, after any pass under way (passes never overlap). */
  run(): Promise<RetentionRun> {
    const next = this.chain.catch(() => undefined).then(() => this.pass());
    this.chain = next;
    return next;
  }

  private async pass(): Promise<RetentionRun> {
    const { store } = this.deps;
    const cutoff = this.deps.clock.now() - this.deps.retainMs;
    // Read once per pass: cursors only move forward (a new consumer starts at the newest seq), so a
    // bound taken now stays safe while the batches run.
    const cursors = this.deps.consumers().map((c) => ({ name: c.name, through: c.consumedThrough() }));
    const maxSeq = Math.min(store.lastEventSeq(), ...cursors.map((c) => c.through));
    const deleted = await this.batches('events', (limit) => store.pruneEvents(cutoff, maxSeq, limit));
    const oldest = store.oldestEvent();
    const due = oldest !== undefined && oldest.at < cutoff ? oldest : undefined;
    const run: RetentionRun = { cutoff, deleted, prunedThrough: store.prunedThrough(), heldBackBy: due ? cursors.filter((c) => c.through < due.seq) : [] };
    if (due) run.oldestDue = due;
    if (this.deps.finished) {
      const finished: NonNullable<RetentionRun['finished']> = {};
      for (const rows of this.deps.finished) finished[rows.table] = await this.batches(rows.table, (limit) => rows.pruneFinished(cutoff, limit));
      run.finished = finished;
    }
    this.deps.onRun(run);
    return run;
  }

  /** Runs `prune` batch after batch, a turn of the event loop between them, until one deletes less than a batch. */
  private async batches(table: RetentionTable, prune: (limit: number) => number): Promise<number> {
    const batch = this.deps.batchSize ?? PRUNE_BATCH;
    let deleted = 0;
    while (!this.stopped) {
      const n = prune(batch);
      deleted += n;
      if (n > 0) this.deps.onPruned(n, table);
      if (n < batch) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return deleted;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run()
        .catch((err: unknown) => this.deps.onError(err))
        .finally(() => this.schedule(this.deps.intervalMs ?? PRUNE_INTERVAL_MS));
    }, ms);
    this.timer.unref();
  }
}
