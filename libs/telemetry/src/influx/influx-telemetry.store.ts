import type { DeviceMessage } from '@hearthbeat/contracts';
import { toLineProtocol } from '../points/line-protocol.serializer';
import { MessagePointsMapper } from '../points/message-points.mapper';
import type { TelemetryPoint, TelemetrySubject } from '../points/telemetry-point';
import { resolveOptions, type ResolvedOptions, type TelemetryStoreOptions } from '../telemetry-options';
import type { TelemetryStats, TelemetryStore } from '../telemetry-store';
import { InfluxLineWriter } from './influx-line.writer';
import { InfluxQlClient } from './influxql.client';
import { InfluxQlTelemetryReader } from './influxql-telemetry.reader';

/** HB_INFLUX_*: where to write (v2 API) and read (InfluxQL on /query). */
export interface InfluxSettings {
  url: string;
  token: string;
  org: string;
  bucket: string;
  /** InfluxQL database; default the bucket name (docker/ maps it with a DBRP mapping of that name). */
  database?: string;
  retentionPolicy?: string;
}

/**
 * `HB_TELEMETRY_STORE=influx`: the same points as the embedded store, serialized to line protocol at
 * `record` time (a string per point is the most compact thing to hold in memory while InfluxDB is
 * away), written through the v2 write API, read back with InfluxQL.
 */
export class InfluxTelemetryStore implements TelemetryStore {
  readonly kind = 'influx' as const;
  private readonly o: ResolvedOptions;
  private readonly mapper: MessagePointsMapper;
  private readonly writer: InfluxLineWriter;
  private readonly reader: InfluxQlTelemetryReader;
  private unmappable = 0;

  constructor(settings: InfluxSettings, options: TelemetryStoreOptions = {}) {
    this.o = resolveOptions(options);
    this.mapper = new MessagePointsMapper(this.o.offlineAfterMs);
    this.writer = new InfluxLineWriter(settings, this.o);
    const client = new InfluxQlClient(
      { url: settings.url, token: settings.token, database: settings.database ?? settings.bucket, ...(settings.retentionPolicy ? { retentionPolicy: settings.retentionPolicy } : {}) },
      this.o.requestTimeoutMs,
    );
    this.reader = new InfluxQlTelemetryReader(client, this.o.offlineAfterMs, this.o.now);
  }

  record(message: DeviceMessage, subject: TelemetrySubject, receivedAt: number): void {
    let points: TelemetryPoint[];
    try {
      points = this.mapper.map(message, subject, receivedAt);
    } catch (err) {
      this.unmappable++;
      try {
        this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
      } catch {
        /* a logging hook must not reach the caller */
      }
      return;
    }
    this.recordPoints(points);
  }

  recordPoints(points: readonly TelemetryPoint[]): void {
    for (const p of points) {
      let line: string;
      try {
        line = toLineProtocol(p);
      } catch {
        this.unmappable++;
        continue;
      }
      this.writer.push(line);
    }
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  stats(): TelemetryStats {
    const w = this.writer.stats();
    return { kind: this.kind, ...w, rejected: w.rejected + this.unmappable, tooOld: 0 };
  }

  /** Sends what is left for up to `graceMs` (default 5 s), then counts the rest as dropped. */
  close(graceMs?: number): Promise<void> {
    return this.writer.close(graceMs);
  }

  waterReadings(q: Parameters<TelemetryStore['waterReadings']>[0]) {
    return this.reader.waterReadings(q);
  }
  waterUsage(q: Parameters<TelemetryStore['waterUsage']>[0]) {
    return this.reader.waterUsage(q);
  }
  elevatorStates(q: Parameters<TelemetryStore['elevatorStates']>[0]) {
    return this.reader.elevatorStates(q);
  }
  elevatorEvents(q: Parameters<TelemetryStore['elevatorEvents']>[0]) {
    return this.reader.elevatorEvents(q);
  }
  elevatorActivity(q: Parameters<TelemetryStore['elevatorActivity']>[0]) {
    return this.reader.elevatorActivity(q);
  }
}
