import pino from 'pino';
import { collectDefaultMetrics } from 'prom-client';
import { ConfigError } from '@hearthbeat/config';
import { openRegistryStore, readRegistryFile } from '@hearthbeat/registry';
import { HearthbeatBroker } from './broker/hearthbeat.broker';
import { brokerOptionsFromConfig } from './broker/broker.options';
import { loadBrokerConfig } from './config/broker.config';

/**
 * Standalone broker (`npm run broker`): config from HB_* variables, the registry under HB_DATA_DIR
 * (HB_REGISTRY_FILE imported first when set), then listen until SIGINT or SIGTERM. SIGHUP re-reads the
 * access file. The platform's start command embeds HearthbeatBroker instead and passes its own store.
 */
async function main(): Promise<void> {
  const config = loadBrokerConfig(process.env);
  const logger = pino({ name: 'hb-broker', level: config.logLevel });
  const registry = await openRegistryStore({ dataDir: config.dataDir });
  if (config.registryFile) {
    const file = await readRegistryFile(config.registryFile);
    if (!file.ok) {
      registry.close();
      throw new Error(`HB_REGISTRY_FILE ${config.registryFile}: ${file.problems.map((p) => `${p.path || '(file)'}: ${p.message}`).join('; ')}`);
    }
    const report = await registry.importRegistry(file.value);
    logger.info({ file: config.registryFile, ...report }, 'registry file imported');
  }
  const broker = new HearthbeatBroker(brokerOptionsFromConfig(config, registry, logger));
  // Process-wide metrics belong to the standalone process only; embedded, the platform registers its own.
  collectDefaultMetrics({ register: broker.metrics, prefix: 'hb_broker_' });
  try {
    await broker.start();
  } catch (err) {
    registry.close();
    throw err;
  }

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    broker
      .stop()
      .then(() => registry.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', () => {
    broker.reloadAcl().catch((err: unknown) => logger.error({ err }, 'access file not reloaded; the previous rules stay in force'));
  });
}

main().catch((err: unknown) => {
  // A ConfigError already names the variable; anything else gets its message and stack.
  process.stderr.write(`hb-broker: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
