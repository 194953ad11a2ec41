import * as path from 'node:path';
import { envBool, envEnum, envInt, envPort, envString, ConfigError, type Env } from './env';

/**
 * Every HB_* variable of protocol.md (and the ones the project adds), read and checked once at
 * start-up. Documented in README.md's configuration table; keep the two in step.
 */
export interface PlatformConfig {
  dataDir: string;
  mqttPort: number;
  mqttWsPort: number;
  /** MQTT over TLS, when both certificate and key are configured. */
  mqttTls?: { port: number; certFile: string; keyFile: string };
  httpPort: number;
  /** Bind address of every listener. */
  host: string;
  aclFile?: string;
  allowAnonymous: boolean;
  registryFile?: string;
  maxConnections: number;
  maxPacketBytes: number;
  /** Messages per second one client may publish (sustained); bursts up to twice that. */
  clientMsgRate: number;
  /** Where telemetry history goes; `none` keeps no history (the history API answers 503). */
  telemetryStore: 'embedded' | 'influx' | 'none';
  influx?: { url: string; token: string; org: string; bucket: string; database?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function loadPlatformConfig(env: Env = process.env): PlatformConfig {
  const telemetryStore = envEnum(env, 'HB_TELEMETRY_STORE', ['embedded', 'influx', 'none'] as const, 'embedded');
  const certFile = envString(env, 'HB_MQTT_TLS_CERT');
  const keyFile = envString(env, 'HB_MQTT_TLS_KEY');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(certFile ? 'HB_MQTT_TLS_KEY' : 'HB_MQTT_TLS_CERT', 'TLS needs both HB_MQTT_TLS_CERT and HB_MQTT_TLS_KEY');
  }
  const config: PlatformConfig = {
    dataDir: path.resolve(envString(env, 'HB_DATA_DIR', './data')),
    mqttPort: envPort(env, 'HB_MQTT_PORT', 1883),
    mqttWsPort: envPort(env, 'HB_MQTT_WS_PORT', 8083),
    httpPort: envPort(env, 'HB_HTTP_PORT', 3000),
    host: envString(env, 'HB_HOST', '0.0.0.0'),
    allowAnonymous: envBool(env, 'HB_MQTT_ALLOW_ANONYMOUS', false),
    maxConnections: envInt(env, 'HB_MQTT_MAX_CONNECTIONS', 100_000, 1),
    maxPacketBytes: envInt(env, 'HB_MQTT_MAX_PACKET_BYTES', 16 * 1024, 1024, 268_435_455),
    clientMsgRate: envInt(env, 'HB_MQTT_CLIENT_MSG_RATE', 50, 1),
    telemetryStore,
    logLevel: envEnum(env, 'HB_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  if (certFile && keyFile) config.mqttTls = { port: envPort(env, 'HB_MQTT_TLS_PORT', 8883), certFile, keyFile };
  const aclFile = envString(env, 'HB_MQTT_ACL_FILE');
  if (aclFile) config.aclFile = path.resolve(aclFile);
  const registryFile = envString(env, 'HB_REGISTRY_FILE');
  if (registryFile) config.registryFile = path.resolve(registryFile);
  if (telemetryStore === 'influx') {
    const need = (name: string) => {
      const v = envString(env, name);
      if (!v) throw new ConfigError(name, 'required when HB_TELEMETRY_STORE=influx');
      return v;
    };
    config.influx = { url: need('HB_INFLUX_URL'), token: envString(env, 'HB_INFLUX_TOKEN', ''), org: need('HB_INFLUX_ORG'), bucket: need('HB_INFLUX_BUCKET') };
    // InfluxQL reads name a database: on 2.x a DBRP mapping of the bucket, by default of the same name.
    const database = envString(env, 'HB_INFLUX_DATABASE');
    if (database) config.influx.database = database;
  }
  return config;
}
