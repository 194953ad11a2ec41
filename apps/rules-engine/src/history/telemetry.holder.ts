import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DeviceMessage } from '@hearthbeat/contracts';
import type { DeviceRecord } from '@hearthbeat/registry';
import { openTelemetryStore, type TelemetryStats, type TelemetryStore, type TelemetrySubject } from '@hearthbeat/telemetry';
import type { Clock } from '../driver/clock';
import type { EngineConfig } from '../engine.config';
import { CLOCK, ENGINE_CONFIG, LOGGER } from '../engine.tokens';
import { EngineMetrics } from '../ops/engine.metrics';

/** A write failure is logged at most this often (they are all counted in the store's stats). */
const ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * The telemetry history store the platform is configured with (HB_TELEMETRY_STORE: `embedded` by
 * default, `influx`, or `none`). The core driver hands it every admitted message after the rules have
 * evaluated it; `record` only queues, so a slow or dead InfluxDB never delays alerting. Closed at
 * shutdown after MQTT has stopped, flushing what is buffered.
 */
@Injectable()
export class TelemetryHolder implements OnApplicationShutdown {
  readonly store: TelemetryStore | undefined;
  private lastErrorLogAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(ENGINE_CONFIG) config: EngineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    metrics: EngineMetrics,
  ) {
    const p = config.platform;
    if (p.telemetryStore === 'none') {
      this.log.info('telemetry history is off (HB_TELEMETRY_STORE=none)');
      return;
    }
    this.store = openTelemetryStore(
      { kind: p.telemetryStore, dataDir: p.dataDir, ...(p.influx ? { influx: p.influx } : {}) },
      { now: () => clock.now(), onError: (err) => this.onError(err) },
    );
    const store = this.store;
    metrics.watchTelemetry(() => store.stats());
    this.log.info({ store: store.kind }, 'telemetry history store open');
  }

  /** Queues one admitted message under its owner (the device itself while unassigned). */
  readonly record = (message: DeviceMessage, device: DeviceRecord, receivedAt: number): void => {
    this.store?.record(message, subjectOf(device), receivedAt);
  };

  stats(): TelemetryStats | undefined {
    return this.store?.stats();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close().catch((err: unknown) => this.log.warn({ err }, 'telemetry store close failed'));
  }

  private onError(err: Error): void {
    const now = this.clock.now();
    if (now - this.lastErrorLogAt < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLogAt = now;
    this.log.warn({ err, stats: this.store?.stats() }, 'telemetry write failed (buffered points are retried; drops are counted)');
  }
}

/** Devices not yet assigned to a resident or elevator are kept under themselves, site "unassigned". */
export function subjectOf(device: DeviceRecord): TelemetrySubject {
  return device.subject ? { type: device.subject.type, id: device.subject.id, site: device.subject.site } : { type: 'device', id: device.id, site: 'unassigned' };
}
