import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { DeviceMessage } from '@hearthbeat/contracts';
import { BoundedQueue } from '../buffer/bounded-queue';
import { MessagePointsMapper } from '../points/message-points.mapper';
import type { TelemetryPoint, TelemetrySubject } from '../points/telemetry-point';
import { resolveOptions, type ResolvedOptions, type TelemetryStoreOptions } from '../telemetry-options';
import type { TelemetryStats, TelemetryStore } from '../telemetry-store';
import { DAY_MS, MINUTE_MS } from '../time/zone-clock';
import { pruneTelemetry, type PruneResult } from './sqlite-retention';
import { SqliteTelemetryReader } from './sqlite-telemetry.reader';
import { migrateTelemetrySchema } from './sqlite-telemetry.schema';
import { SqliteTelemetryWriter } from './sqlite-telemetry.writer';

export const TELEMETRY_FILE = 'telemetry.sqlite';
/**
 * What the WAL is cut back to once a checkpoint has copied it (bytes). SQLite reuses the log from its
 * start instead of shrinking it, so without a limit one large transaction (a retention pass that caught
 * up on weeks, a backfill) leaves a WAL of its size until the store closes. Above the automatic
 * checkpoint's 1000 pages plus a full batch (5,000 points, one leaf page each at worst: about 24 MB in
 * all), so regular batches never reach it and the file is not cut and regrown at every checkpoint.
 */
export const TELEMETRY_JOURNAL_SIZE_LIMIT = 32 * 1024 * 1024;

/** A batch that fails this often (disk full for minutes, a corrupt file) is given up and counted. */
const MAX_BATCH_ATTEMPTS = 5;

/**
 * The embedded default: `<dataDir>/telemetry.sqlite` (WAL). `record` maps the message and queues the
 * points; a timer (and a full batch) writes them in one transaction, off the caller's call stack.
 * A transaction of 5,000 points takes a few tens of ms, and backlogs are written one batch per
 * event-loop turn, so the rules engine sharing the process waits at most one batch.
 */
export class SqliteTelemetryStore implements TelemetryStore {
  readonly kind = 'embedded' as const;
  readonly file: string;
  private readonly o: ResolvedOptions;
  private readonly db: Database.Database;
  private readonly mapper: MessagePointsMapper;
  private readonly writer: SqliteTelemetryWriter;
  private readonly reader: SqliteTelemetryReader;
  private readonly queue: BoundedQueue<TelemetryPoint>;
  private pending: { points: TelemetryPoint[]; attempts: number } | undefined;
  private readonly timer: NodeJS.Timeout;
  private immediate: NodeJS.Immediate | undefined;
  private lastPruneAt = 0;
  private closed = false;
  private readonly counters = { written: 0, rejected: 0, tooOld: 0, retries: 0 };
  private lastError: TelemetryStats['lastError'];
  private lastWriteAt: number | undefined;

  constructor(dataDir: string, options: TelemetryStoreOptions = {}) {
    this.o = resolveOptions(options);
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, TELEMETRY_FILE);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash; a power cut may lose the last second of telemetry.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`journal_size_limit = ${TELEMETRY_JOURNAL_SIZE_LIMIT}`);
    // Every meter appends at the end of its own key range, so a write batch touches one leaf page per
    // active series (1,200 meters: about 5 MB); SQLite's default 2 MB cache would keep re-reading them.
    this.db.pragma('cache_size = -65536');
    try {
      migrateTelemetrySchema(this.db, this.o.rollupSlotMinutes);
    } catch (err) {
      this.db.close();
      throw err;
    }
    const slotMs = this.o.rollupSlotMinutes * MINUTE_MS;
    this.writer = new SqliteTelemetryWriter(this.db, {
      slotMs,
      rawRetentionMs: this.o.rawRetentionDays * DAY_MS,
      rollupRetentionMs: this.o.rollupRetentionDays * DAY_MS,
    });
    this.reader = new SqliteTelemetryReader(this.db, this.writer.series, slotMs, this.o.offlineAfterMs, this.o.rawRetentionDays * DAY_MS);
    this.mapper = new MessagePointsMapper(this.o.offlineAfterMs);
    this.queue = new BoundedQueue(this.o.maxBufferedPoints);
    this.timer = setInterval(() => this.writeBatch(), this.o.flushIntervalMs);
    this.timer.unref();
  }

  record(message: DeviceMessage, subject: TelemetrySubject, receivedAt: number): void {
    if (this.closed) return;
    let points: TelemetryPoint[];
    try {
      points = this.mapper.map(message, subject, receivedAt);
    } catch (err) {
      this.counters.rejected++;
      this.fail(err);
      return;
    }
    this.recordPoints(points);
  }

  recordPoints(points: readonly TelemetryPoint[]): void {
    if (this.closed) return;
    for (const p of points) this.queue.push(p, this.pending?.points.length ?? 0);
    if (this.queue.size >= this.o.maxBatchPoints) this.schedule();
  }

  async flush(): Promise<void> {
    while ((this.pending || this.queue.size > 0) && this.writeBatch()) {
      /* one batch per call */
    }
  }

  stats(): TelemetryStats {
    return {
      kind: this.kind,
      ...this.counters,
      buffered: this.queue.size + (this.pending?.points.length ?? 0),
      dropped: this.queue.dropped,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastWriteAt !== undefined ? { lastWriteAt: this.lastWriteAt } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    clearInterval(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /** Applies retention now (it also runs by itself every `pruneIntervalMs` of the store's clock). */
  prune(): PruneResult {
    this.lastPruneAt = this.o.now();
    return pruneTelemetry(this.db, this.lastPruneAt, { rawRetentionMs: this.o.rawRetentionDays * DAY_MS, rollupRetentionMs: this.o.rollupRetentionDays * DAY_MS });
  }

  /** Size of the database file and its WAL, bytes. */
  fileBytes(): number {
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    return size(this.file) + size(`${this.file}-wal`);
  }

  /** Runs SQLite's VACUUM and checkpoints (for size measurements; not needed in service). */
  compact(): void {
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  waterReadings(q: Parameters<TelemetryStore['waterReadings']>[0]) {
    return Promise.resolve().then(() => this.reader.waterReadings(q));
  }
  waterUsage(q: Parameters<TelemetryStore['waterUsage']>[0]) {
    return Promise.resolve().then(() => this.reader.waterUsage(q, this.o.now()));
  }
  elevatorStates(q: Parameters<TelemetryStore['elevatorStates']>[0]) {
    return Promise.resolve().then(() => this.reader.elevatorStates(q));
  }
  elevatorEvents(q: Parameters<TelemetryStore['elevatorEvents']>[0]) {
    return Promise.resolve().then(() => this.reader.elevatorEvents(q));
  }
  elevatorActivity(q: Parameters<TelemetryStore['elevatorActivity']>[0]) {
    return Promise.resolve().then(() => this.reader.elevatorActivity(q, this.o.now()));
  }

  private schedule(): void {
    if (this.immediate || this.closed) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      if (this.writeBatch() && (this.pending || this.queue.size >= this.o.maxBatchPoints)) this.schedule();
    });
  }

  /** Writes one batch; false when it failed (the batch stays pending for the next tick). */
  private writeBatch(): boolean {
    if (this.closed) return false;
    const now = this.o.now();
    if (now - this.lastPruneAt >= this.o.pruneIntervalMs) this.runPrune();
    if (!this.pending) {
      if (this.queue.size === 0) return true;
      this.pending = { points: this.queue.take(this.o.maxBatchPoints), attempts: 0 };
    }
    const batch = this.pending;
    try {
      const r = this.db.transaction(() => this.writer.write(batch.points, now))();
      this.counters.written += r.stored;
      this.counters.tooOld += r.tooOld;
      this.lastWriteAt = now;
      this.pending = undefined;
      return true;
    } catch (err) {
      this.writer.reset();
      batch.attempts++;
      if (batch.attempts >= MAX_BATCH_ATTEMPTS) {
        this.counters.rejected += batch.points.length;
        this.pending = undefined;
      } else {
        this.counters.retries++;
      }
      this.fail(err);
      return false;
    }
  }

  private runPrune(): void {
    try {
      this.prune();
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.lastError = { message: e.message, at: this.o.now() };
    try {
      this.o.onError?.(e);
    } catch {
      /* a logging hook must not break the writer */
    }
  }
}
