import { DEFAULT_OFFLINE_AFTER_MS } from './points/elevator-activity.tracker';
import { TelemetryConfigError } from './telemetry.errors';

/** Tuning of either store; every field has a default (docs/telemetry.md, "Settings"). */
export interface TelemetryStoreOptions {
  /** The platform clock, epoch ms: retention, `now` of open downtime. Default Date.now. */
  now?: () => number;
  /** Buffered points are written at least this often. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Points per SQLite transaction or per InfluxDB request; a full batch is written at once. Default 5,000. */
  maxBatchPoints?: number;
  /** Bound of the in-memory buffer; the oldest points are dropped (and counted) beyond it. Default 200,000. */
  maxBufferedPoints?: number;
  /** Embedded: raw readings, states and health kept this long. Default 35 days. */
  rawRetentionDays?: number;
  /** Embedded: hourly rollups and events kept this long. Default 731 days (two years). */
  rollupRetentionDays?: number;
  /** Embedded: width of the stored aggregate slots; 15 or 30 for sites in zones such as Asia/Kolkata. Default 60. */
  rollupSlotMinutes?: 60 | 30 | 15;
  /** Elevator silence that counts as offline downtime. Default 60,000 ms (2 x the 30 s idle report). */
  offlineAfterMs?: number;
  /** Embedded: how often retention runs (checked against `now` at each flush). Default 1 h. */
  pruneIntervalMs?: number;
  /** InfluxDB: first retry delay, doubled per failure up to `retryMaxDelayMs`, +-20 % jitter. Default 1,000 ms. */
  retryMinDelayMs?: number;
  /** Default 60,000 ms. */
  retryMaxDelayMs?: number;
  /** InfluxDB: timeout of one write or query request. Default 10,000 ms. */
  requestTimeoutMs?: number;
  /** Told about every failed write (after counting); keep it cheap and rate-limit logs there. */
  onError?: (err: Error) => void;
}

export type ResolvedOptions = Required<Omit<TelemetryStoreOptions, 'onError'>> & Pick<TelemetryStoreOptions, 'onError'>;

export function resolveOptions(o: TelemetryStoreOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    now: o.now ?? Date.now,
    flushIntervalMs: o.flushIntervalMs ?? 1_000,
    maxBatchPoints: o.maxBatchPoints ?? 5_000,
    maxBufferedPoints: o.maxBufferedPoints ?? 200_000,
    rawRetentionDays: o.rawRetentionDays ?? 35,
    rollupRetentionDays: o.rollupRetentionDays ?? 731,
    rollupSlotMinutes: o.rollupSlotMinutes ?? 60,
    offlineAfterMs: o.offlineAfterMs ?? DEFAULT_OFFLINE_AFTER_MS,
    pruneIntervalMs: o.pruneIntervalMs ?? 3_600_000,
    retryMinDelayMs: o.retryMinDelayMs ?? 1_000,
    retryMaxDelayMs: o.retryMaxDelayMs ?? 60_000,
    requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
    onError: o.onError,
  };
  const positive = (name: keyof TelemetryStoreOptions, v: number) => {
    if (!Number.isFinite(v) || v <= 0) throw new TelemetryConfigError(`${name} must be a positive number, got ${v}`);
  };
  positive('flushIntervalMs', r.flushIntervalMs);
  positive('maxBatchPoints', r.maxBatchPoints);
  positive('maxBufferedPoints', r.maxBufferedPoints);
  positive('rawRetentionDays', r.rawRetentionDays);
  positive('rollupRetentionDays', r.rollupRetentionDays);
  positive('offlineAfterMs', r.offlineAfterMs);
  positive('retryMinDelayMs', r.retryMinDelayMs);
  positive('requestTimeoutMs', r.requestTimeoutMs);
  if (![15, 30, 60].includes(r.rollupSlotMinutes)) throw new TelemetryConfigError(`rollupSlotMinutes must be 15, 30 or 60, got ${r.rollupSlotMinutes}`);
  // A batch in flight counts against the bound, so the bound must leave room for new points.
  if (r.maxBatchPoints * 2 > r.maxBufferedPoints) {
    throw new TelemetryConfigError(`maxBufferedPoints (${r.maxBufferedPoints}) must be at least twice maxBatchPoints (${r.maxBatchPoints})`);
  }
  if (r.retryMaxDelayMs < r.retryMinDelayMs) throw new TelemetryConfigError('retryMaxDelayMs must not be below retryMinDelayMs');
  return r;
}
