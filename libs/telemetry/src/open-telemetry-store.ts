import { SqliteTelemetryStore } from './embedded/sqlite-telemetry.store';
import { InfluxTelemetryStore, type InfluxSettings } from './influx/influx-telemetry.store';
import { TelemetryConfigError } from './telemetry.errors';
import type { TelemetryStoreOptions } from './telemetry-options';
import type { TelemetryStore } from './telemetry-store';

/** The part of PlatformConfig (libs/config) that chooses the store: HB_TELEMETRY_STORE, HB_DATA_DIR, HB_INFLUX_*. */
export interface TelemetryStoreConfig {
  kind: 'embedded' | 'influx';
  dataDir: string;
  influx?: InfluxSettings;
}

/**
 * Opens the configured store. Never touches the network: with InfluxDB down at start-up the platform
 * still starts, and points wait in the bounded buffer until it answers.
 */
export function openTelemetryStore(config: TelemetryStoreConfig, opts: TelemetryStoreOptions = {}): TelemetryStore {
  if (config.kind === 'embedded') return new SqliteTelemetryStore(config.dataDir, opts);
  if (!config.influx) throw new TelemetryConfigError('HB_TELEMETRY_STORE=influx needs HB_INFLUX_URL, HB_INFLUX_ORG and HB_INFLUX_BUCKET');
  return new InfluxTelemetryStore(config.influx, opts);
}
