import pino from 'pino';
import { ConfigError } from '@hearthbeat/config';
import { openRegistryStore, readRegistryFile } from '@hearthbeat/registry';
import { startEngineApp } from './engine.app';
import { loadEngineConfig } from './engine.config';

/**
 * The engine alone, against any broker (HB_ENGINE_MQTT_URL) as a `service` user
 * (HB_ENGINE_MQTT_USERNAME / HB_ENGINE_MQTT_PASSWORD). `npm start` runs it together with the broker.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadEngineConfig();
    if (!config.mqttPassword) throw new ConfigError('HB_ENGINE_MQTT_PASSWORD', 'required when the engine runs alone');
  } catch (err) {
    process.stderr.write(`configuration error: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.platform.logLevel, base: { component: 'engine' } });
  const registry = await openRegistryStore({ dataDir: config.platform.dataDir });
  if (config.platform.registryFile) {
    const file = await readRegistryFile(config.platform.registryFile);
    if (!file.ok) {
      for (const p of file.problems) logger.error({ path: p.path }, p.message);
      process.exit(2);
    }
    logger.info(await registry.importRegistry(file.value), 'registry imported');
  }
  const engine = await startEngineApp({ config, registry, logger });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await engine.close();
    registry.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

void main().catch((err: unknown) => {
  process.stderr.write(`engine failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
