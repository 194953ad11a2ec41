import type { DeviceMessage, Direction, DoorState, ElevatorMode, PowerState } from '@hearthbeat/contracts';
import type { DowntimeReason, TelemetryPoint, TelemetrySubject } from './points/telemetry-point';
import type { BucketUnit } from './time/local-buckets';

/** A half-open range of device time [from, to), epoch ms. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface WaterReadingRow {
  ts: number;
  device: string;
  totalL: number;
  flowLpm?: number;
}

/** Water used in one local hour or day. */
export interface WaterUsageBucket {
  start: number;
  end: number;
  label: string;
  /** Litres, rounded to the millilitre: the sum of the usage intervals that end in this bucket. */
  usageL: number;
  /** How many usage intervals end here; 0 means no data (meter silent), not "no water used". */
  intervals: number;
}

export interface ElevatorStateRow {
  ts: number;
  device: string;
  floor: number;
  doorZone: boolean;
  direction: Direction;
  door: DoorState;
  occupied: boolean;
  speedMps: number;
  mode: ElevatorMode;
  power: PowerState;
}

export interface DeviceEventRow {
  ts: number;
  device: string;
  event: string;
  heldMs?: number;
  /** One of ELEVATOR_FAULT_EVENTS. */
  fault: boolean;
}

/** An elevator's activity in one local hour or day (definitions in docs/telemetry.md). */
export interface ElevatorActivityBucket {
  start: number;
  end: number;
  label: string;
  trips: number;
  doorCycles: number;
  faults: number;
  /** Total downtime in ms, the sum of `downtime`. */
  downtimeMs: number;
  downtime: Record<DowntimeReason, number>;
  /**
   * State samples and events the terminal reported in this bucket; 0 means no data (the terminal was
   * silent or not yet installed), which is not the same as a lift that reported and was not used.
   */
  samples: number;
}

/** Counters for /metrics and the health page. Monotonic except `buffered`. */
export interface TelemetryStats {
  kind: 'embedded' | 'influx';
  /** Points stored (embedded: committed; influx: acknowledged by the server). */
  written: number;
  /** Points waiting in memory for the next write. */
  buffered: number;
  /** Points dropped because the buffer bound was hit (the oldest go first). */
  dropped: number;
  /** Points the server refused as malformed (HTTP 400/413/422); not retried. */
  rejected: number;
  /** Points older than the store keeps (embedded raw retention), not stored. */
  tooOld: number;
  /** Write attempts that failed and were retried. */
  retries: number;
  lastError?: { message: string; at: number };
  lastWriteAt?: number;
}

/**
 * Telemetry history behind one interface: an embedded SQLite file by default, InfluxDB on request.
 * `record` never blocks and never throws for storage reasons: it queues, and a background flush
 * writes; trouble is counted in `stats()`. Reads see what has been flushed (`flushIntervalMs`).
 */
export interface TelemetryStore {
  readonly kind: 'embedded' | 'influx';
  /** Queues the points of one parsed message. `receivedAt` stamps status messages without `ts`. */
  record(message: DeviceMessage, subject: TelemetrySubject, receivedAt: number): void;
  /** Queues points already mapped (replays, tests). */
  recordPoints(points: readonly TelemetryPoint[]): void;
  /** Resolves when everything queued before the call has been written (or has failed and was counted). */
  flush(): Promise<void>;
  stats(): TelemetryStats;
  /** Flushes (within a bounded time) and releases files, timers and sockets. */
  close(): Promise<void>;

  /** A water meter's readings by device time, for one resident or one device (`limit` default 10,000). */
  waterReadings(q: TimeRange & ({ resident: string } | { device: string }) & { limit?: number }): Promise<WaterReadingRow[]>;
  /** Water used per local hour or day of `timeZone` (IANA), every bucket overlapping the range, zeros included. */
  waterUsage(q: TimeRange & { resident: string; timeZone: string; unit: BucketUnit }): Promise<WaterUsageBucket[]>;
  /** An elevator's state samples by device time (`limit` default 10,000). */
  elevatorStates(q: TimeRange & { elevator: string; limit?: number }): Promise<ElevatorStateRow[]>;
  /** An elevator's events, or only its faults (`limit` default 10,000). */
  elevatorEvents(q: TimeRange & { elevator: string; faultsOnly?: boolean; limit?: number }): Promise<DeviceEventRow[]>;
  /** Trips, door cycles, faults and downtime per local hour or day of `timeZone`. */
  elevatorActivity(q: TimeRange & { elevator: string; timeZone: string; unit: BucketUnit }): Promise<ElevatorActivityBucket[]>;
}

export const DEFAULT_QUERY_LIMIT = 10_000;
