import type { Logger } from 'pino';
import type { BrokerRegistry } from '../auth/connect.authenticator';
import type { BrokerConfig } from '../config/broker.config';

export interface BrokerTlsOptions {
  port: number;
  /** PEM files, read at start(). */
  certFile: string;
  keyFile: string;
}

/** Options of {@link HearthbeatBroker}. Ports may be 0 (any free port: tests); `null` turns a listener off. */
export interface BrokerOptions {
  /** Devices and users; the platform passes its open RegistryStore. */
  registry: BrokerRegistry;
  /** Bind address of every listener. Default 0.0.0.0. */
  host?: string;
  /** MQTT over TCP. Default 1883. */
  mqttPort?: number;
  /** MQTT over WebSocket at path /mqtt. Default 8083; null: off. */
  wsPort?: number | null;
  /** MQTT over TLS; off unless given. */
  tls?: BrokerTlsOptions | null;
  /** /health and /metrics. Default 9101; null: off (an embedding app serves `broker.metrics` itself). */
  httpPort?: number | null;
  /** mosquitto-style access file (HB_MQTT_ACL_FILE); read and checked at start(). */
  aclFile?: string;
  /** Accept CONNECTs without a username. Default false. */
  allowAnonymous?: boolean;
  /** Authenticated connections at once; more get CONNACK 3. Default 100,000. */
  maxConnections?: number;
  /** Largest MQTT packet in bytes (fixed header included); larger closes the connection. Default 16 KiB. */
  maxPacketBytes?: number;
  /** PUBLISH per second per client, sustained; bursts up to twice that. Default 50. */
  clientMsgRate?: number;
  /** How long a new connection may take to send CONNECT. Default 30 s. */
  connectTimeoutMs?: number;
  /** Repeated warnings of one kind and client are logged at most once per this interval. Default 60 s. */
  logThrottleMs?: number;
  logger?: Logger;
  /** Epoch ms; injected in tests (rate limits, `ts` checks, status timestamps). Default Date.now. */
  clock?: () => number;
}

/** The options the platform's start command (or main.ts) derives from the validated configuration. */
export function brokerOptionsFromConfig(config: BrokerConfig, registry: BrokerRegistry, logger?: Logger): BrokerOptions {
  return {
    registry,
    host: config.host,
    mqttPort: config.mqttPort,
    wsPort: config.mqttWsPort,
    tls: config.mqttTls ?? null,
    httpPort: config.brokerHttpPort,
    ...(config.aclFile !== undefined ? { aclFile: config.aclFile } : {}),
    allowAnonymous: config.allowAnonymous,
    maxConnections: config.maxConnections,
    maxPacketBytes: config.maxPacketBytes,
    clientMsgRate: config.clientMsgRate,
    ...(logger ? { logger } : {}),
  };
}
