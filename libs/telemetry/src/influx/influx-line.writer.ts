import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import { BoundedQueue } from '../buffer/bounded-queue';
import type { ResolvedOptions } from '../telemetry-options';
import type { TelemetryStats } from '../telemetry-store';

export interface InfluxWriteTarget {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

/** Malformed data: sending it again cannot succeed (InfluxDB 2.x answers 400/422; 413 too large). */
const NOT_RETRYABLE = new Set([400, 413, 422]);

type Outcome = 'written' | 'rejected' | 'retry';

/**
 * Line protocol to InfluxDB's v2 write API through the client's writeApi, with our own bounded queue
 * in front. The client's writeApi is used for one batch at a time (no retries, no timer of its own),
 * because its buffering does not give the guarantees the platform needs (docs/telemetry.md, "Why our
 * own queue"): its retry buffer drops 30 % at once when `maxBufferLines` is hit and counts nothing,
 * it gives up on lines after `maxRetries`/`maxRetryTime` even when memory is plentiful, and it sends
 * every full batch at once, so a slow server accumulates requests in flight without bound.
 * Here: one request in flight; on failure the batch is kept and retried with exponential backoff
 * until the server answers; new lines queue behind it up to `maxBufferedPoints`, the oldest dropped
 * and counted beyond that; after a success the backlog is sent batch after batch.
 */
export class InfluxLineWriter {
  private readonly queue: BoundedQueue<string>;
  private readonly api: WriteApi;
  private pending: { lines: string[]; attempts: number } | undefined;
  private running: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly counters = { written: 0, rejected: 0, retries: 0, lostAtClose: 0 };
  private lastError: TelemetryStats['lastError'];
  private lastWriteAt: number | undefined;

  constructor(
    target: InfluxWriteTarget,
    private readonly o: ResolvedOptions,
  ) {
    this.queue = new BoundedQueue(o.maxBufferedPoints);
    const client = new InfluxDB({ url: target.url, token: target.token, timeout: o.requestTimeoutMs });
    this.api = client.getWriteApi(target.org, target.bucket, 'ms', {
      batchSize: o.maxBatchPoints + 1, // never flushes by itself: we hand it whole batches
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: o.maxBatchPoints + 1,
      // Returning a promise tells the client the failure is handled: it rejects our flush() and logs nothing.
      writeFailed: (err: Error) => Promise.reject(err),
    });
    this.timer = setInterval(() => this.kick(), o.flushIntervalMs);
    this.timer.unref();
  }

  /** O(1): queues one line; never waits, never throws. */
  push(line: string): void {
    if (this.closed) return;
    this.queue.push(line, this.pending?.lines.length ?? 0);
    if (this.queue.size >= this.o.maxBatchPoints && !this.immediate) {
      // Off the caller's stack: joining and sending a batch costs a millisecond or two.
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.kick();
      });
    }
  }

  /** Sends everything queued now (skipping a backoff wait); resolves when drained or when an attempt failed. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      if (!this.pending && this.queue.size === 0) return;
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
      }
      const retriesBefore = this.counters.retries;
      this.kick();
      if (this.running) await this.running;
      if (this.counters.retries > retriesBefore) return;
    }
  }

  stats(): Omit<TelemetryStats, 'kind' | 'tooOld'> {
    return {
      written: this.counters.written,
      buffered: this.queue.size + (this.pending?.lines.length ?? 0),
      dropped: this.queue.dropped + this.counters.lostAtClose,
      rejected: this.counters.rejected,
      retries: this.counters.retries,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastWriteAt !== undefined ? { lastWriteAt: this.lastWriteAt } : {}),
    };
  }

  /** Tries to send what is left for up to `graceMs`, then counts the rest as dropped and stops. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    const deadline = Date.now() + graceMs;
    while ((this.pending || this.queue.size > 0) && Date.now() < deadline) {
      await Promise.race([this.flush(), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
      if (this.pending && Date.now() < deadline) await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.counters.lostAtClose += this.queue.size + (this.pending?.lines.length ?? 0);
    this.queue.take(this.queue.size);
    this.pending = undefined;
    if (this.running) await this.running.catch(() => undefined);
    this.api.dispose();
  }

  private kick(): void {
    if (this.running || this.retryTimer || (this.closed && !this.pending)) return;
    if (!this.pending && this.queue.size === 0) return;
    this.running = this.pump().finally(() => {
      this.running = undefined;
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (!this.pending) {
        if (this.queue.size === 0) return;
        this.pending = { lines: this.queue.take(this.o.maxBatchPoints), attempts: 0 };
      }
      const batch = this.pending;
      const outcome = await this.send(batch.lines);
      if (outcome === 'retry') {
        batch.attempts++;
        this.counters.retries++;
        if (!this.closed) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.kick();
          }, this.backoff(batch.attempts));
          this.retryTimer.unref();
        }
        return;
      }
      if (outcome === 'written') {
        this.counters.written += batch.lines.length;
        this.lastWriteAt = Date.now();
      } else {
        this.counters.rejected += batch.lines.length;
      }
      this.pending = undefined;
    }
  }

  private async send(lines: string[]): Promise<Outcome> {
    try {
      this.api.writeRecords(lines);
      await this.api.flush();
      return 'written';
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.lastError = { message: e.message, at: this.o.now() };
      try {
        this.o.onError?.(e);
      } catch {
        /* a logging hook must not break the writer */
      }
      return err instanceof HttpError && NOT_RETRYABLE.has(err.statusCode) ? 'rejected' : 'retry';
    }
  }

  /** min * 2^(attempt-1), capped, +-20 % jitter so that many platforms do not retry in step. */
  private backoff(attempt: number): number {
    const base = Math.min(this.o.retryMaxDelayMs, this.o.retryMinDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  }
}
