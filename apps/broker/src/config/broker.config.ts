import { envPort, loadPlatformConfig, type Env, type PlatformConfig } from '@hearthbeat/config';

/** The platform's settings plus the broker's own: the port of its /health and /metrics server. */
export interface BrokerConfig extends PlatformConfig {
  /** HB_BROKER_HTTP_PORT [9101]. */
  brokerHttpPort: number;
}

/** Reads every HB_* variable the broker uses, failing fast with a ConfigError that names the variable. */
export function loadBrokerConfig(env: Env = process.env): BrokerConfig {
  return { ...loadPlatformConfig(env), brokerHttpPort: envPort(env, 'HB_BROKER_HTTP_PORT', 9101) };
}
