import { envInt, envString, loadPlatformConfig, type Env, type PlatformConfig } from '@hearthbeat/config';

export interface EngineConfig {
  platform: PlatformConfig;
  /** Broker the engine subscribes to: the project's or any MQTT 3.1.1 broker (mosquitto). */
  mqttUrl: string;
  mqttUsername: string;
  mqttPassword: string;
  mqttClientId: string;
  /** After a restart, deadlines that passed while down wait this long for devices to reconnect. */
  restartGraceMs: number;
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
  };
}
