import { envInt, envString, loadPlatformConfig, type Env, type PlatformConfig } from '@hearthbeat/config';

/** Settings of the engine's edges: accounts, live push and webhooks. */
export interface ApiConfig {
  /** Lifetime of a login token (HB_TOKEN_TTL_S, default 12 h: one shift). */
  tokenTtlS: number;
  /** Failed logins per username and address before each further attempt waits (HB_LOGIN_MAX_FAILURES). */
  loginMaxFailures: number;
  /** WebSocket heartbeat: protocol ping and a JSON heartbeat frame every this many seconds (HB_WS_PING_S). */
  wsPingS: number;
  /** Webhook retries: first wait (HB_WEBHOOK_RETRY_BASE_MS), doubling up to HB_WEBHOOK_RETRY_MAX_S. */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** One webhook POST may take this long before it counts as failed (HB_WEBHOOK_TIMEOUT_S). */
  webhookTimeoutMs: number;
  /** Refusals of one payload in a row (400, 413, 415, 422) that set a delivery aside (HB_WEBHOOK_REJECT_AFTER). */
  webhookRejectAfter: number;
}

export interface EngineConfig {
  platform: PlatformConfig;
  /** Broker the engine subscribes to: the project's or any MQTT 3.1.1 broker (mosquitto). */
  mqttUrl: string;
  mqttUsername: string;
  mqttPassword: string;
  mqttClientId: string;
  /** After a restart, deadlines that passed while down wait this long for devices to reconnect. */
  restartGraceMs: number;
  /** Stored core events older than this are pruned, unless a consumer still needs them (HB_EVENTS_RETAIN_DAYS). */
  eventsRetainMs: number;
  api: ApiConfig;
}

const DAY_MS = 24 * 3600 * 1000;

export function loadApiConfig(env: Env): ApiConfig {
  return {
    tokenTtlS: envInt(env, 'HB_TOKEN_TTL_S', 12 * 3600, 60, 30 * 24 * 3600),
    loginMaxFailures: envInt(env, 'HB_LOGIN_MAX_FAILURES', 5, 1, 1000),
    wsPingS: envInt(env, 'HB_WS_PING_S', 25, 1, 3600),
    webhookRetryBaseMs: envInt(env, 'HB_WEBHOOK_RETRY_BASE_MS', 1000, 10, 3_600_000),
    webhookRetryMaxMs: envInt(env, 'HB_WEBHOOK_RETRY_MAX_S', 300, 1, 86_400) * 1000,
    webhookTimeoutMs: envInt(env, 'HB_WEBHOOK_TIMEOUT_S', 10, 1, 300) * 1000,
    webhookRejectAfter: envInt(env, 'HB_WEBHOOK_REJECT_AFTER', 3, 1, 100),
  };
}

/** Engine settings on top of the platform's HB_* variables; the password may come from the caller. */
export function loadEngineConfig(env: Env = process.env, overrides: Partial<Omit<EngineConfig, 'platform'>> = {}): EngineConfig {
  const platform = loadPlatformConfig(env);
  return {
    platform,
    mqttUrl: overrides.mqttUrl ?? envString(env, 'HB_ENGINE_MQTT_URL', `mqtt://127.0.0.1:${platform.mqttPort}`),
    mqttUsername: overrides.mqttUsername ?? envString(env, 'HB_ENGINE_MQTT_USERNAME', 'hb-engine'),
    mqttPassword: overrides.mqttPassword ?? envString(env, 'HB_ENGINE_MQTT_PASSWORD', ''),
    mqttClientId: overrides.mqttClientId ?? envString(env, 'HB_ENGINE_MQTT_CLIENT_ID', 'hb-engine'),
    restartGraceMs: overrides.restartGraceMs ?? envInt(env, 'HB_ENGINE_RESTART_GRACE_S', 120, 0, 86400) * 1000,
    // At least a day: a screen closed overnight still resumes; at most ten years.
    eventsRetainMs: overrides.eventsRetainMs ?? envInt(env, 'HB_EVENTS_RETAIN_DAYS', 90, 1, 3650) * DAY_MS,
    api: overrides.api ?? loadApiConfig(env),
  };
}
