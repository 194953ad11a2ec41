import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { HearthbeatBroker, brokerOptionsFromConfig, loadBrokerConfig } from '@hearthbeat/broker';
import type { Env } from '@hearthbeat/config';
import { openRegistryStore, readRegistryFile, type SqliteRegistryStore } from '@hearthbeat/registry';
import { loadEngineConfig, startEngineApp, type Clock, type EngineApp } from '@hearthbeat/rules-engine';
import { serveDashboard } from './dashboard.static';

/** The engine's own service account on the embedded broker; its password is new at every start. */
export const ENGINE_SERVICE_USER = 'hb-engine';

export interface Platform {
  registry: SqliteRegistryStore;
  broker: HearthbeatBroker;
  engine: EngineApp;
  logger: Logger;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  env?: Env;
  logger?: Logger;
  clock?: Clock;
}

/**
 * `npm start`: the registry, the broker and the rules engine in one process on embedded defaults.
 * The engine subscribes to the broker over loopback MQTT exactly as it would to any other broker.
 */
export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const env = opts.env ?? process.env;
  const brokerConfig = loadBrokerConfig(env);
  const engineConfig = loadEngineConfig(env);
  const logger = opts.logger ?? pino({ level: engineConfig.platform.logLevel });
  const registry = await openRegistryStore({ dataDir: engineConfig.platform.dataDir });
  try {
    if (engineConfig.platform.registryFile) {
      const file = await readRegistryFile(engineConfig.platform.registryFile);
      if (!file.ok) {
        const problems = file.problems.map((p) => `${p.path || '(file)'}: ${p.message}`).join('; ');
        throw new Error(`HB_REGISTRY_FILE ${engineConfig.platform.registryFile}: ${problems}`);
      }
      logger.info({ file: engineConfig.platform.registryFile, ...(await registry.importRegistry(file.value)) }, 'registry file imported');
    }
    const enginePassword = randomBytes(24).toString('base64url');
    await registry.importRegistry({ sites: [], residents: [], elevators: [], devices: [], users: [{ id: ENGINE_SERVICE_USER, role: 'service', sites: [], password: enginePassword }] });

    const broker = new HearthbeatBroker({ ...brokerOptionsFromConfig(brokerConfig, registry, logger.child({ component: 'broker' })), httpPort: null });
    const ports = await broker.start();
    logger.info({ ...ports }, 'broker listening');
    let engine: EngineApp;
    try {
      engine = await startEngineApp({
        config: { ...engineConfig, mqttUrl: `mqtt://127.0.0.1:${ports.mqtt}`, mqttUsername: ENGINE_SERVICE_USER, mqttPassword: enginePassword },
        registry,
        logger: logger.child({ component: 'engine' }),
        broker: { ready: () => broker.listening, metrics: broker.metrics, rejections: (deviceId) => broker.rejections(deviceId) },
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
    } catch (err) {
      await broker.stop();
      throw err;
    }
    serveDashboard(engine.app.getHttpServer(), { logger: logger.child({ component: 'dashboard' }) });
    return {
      registry,
      broker,
      engine,
      logger,
      stop: async () => {
        await engine.close();
        await broker.stop();
        registry.close();
      },
    };
  } catch (err) {
    registry.close();
    throw err;
  }
}
