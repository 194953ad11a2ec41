import pino from 'pino';
import { HearthbeatBroker } from '@hearthbeat/broker';
import type { SqliteRegistryStore } from '@hearthbeat/registry';
import { serveParent, sendToParent, type IpcMessage } from '../core/ipc';
import { openBenchRegistry } from './bench-registry';
import { takeLoopDelay, takeSample, type HostCommand } from './host.protocol';

/**
 * Forked by the bench: the project's broker alone in its own process (as `npm run broker` runs it),
 * on loopback, with a registry of the bench fleet. The per-client rate limit (HB_MQTT_CLIENT_MSG_RATE,
 * 50/s by default) is lifted: it is a policy, and a throughput run would only measure it dropping.
 */
let broker: HearthbeatBroker | undefined;
let registry: SqliteRegistryStore | undefined;

serveParent(async (raw: IpcMessage) => {
  const msg = raw as HostCommand;
  switch (msg.type) {
    case 'start': {
      registry = await openBenchRegistry(msg.dataDir, msg.registryFile);
      broker = new HearthbeatBroker({
        registry,
        host: '127.0.0.1',
        mqttPort: 0,
        wsPort: null,
        httpPort: null,
        clientMsgRate: 1_000_000,
        maxConnections: 1_000_000,
        logger: pino({ level: 'warn' }),
      });
      const ports = await broker.start();
      sendToParent({ type: 'ready', mqttPort: ports.mqtt });
      return;
    }
    case 'sample':
      sendToParent(takeSample(broker?.connectionCount ?? 0));
      return;
    case 'drops': {
      const metric = broker?.metrics.getSingleMetric('hb_broker_publishes_dropped_total');
      const byReason: Record<string, number> = {};
      for (const v of metric ? (await metric.get()).values : []) if (v.value > 0) byReason[String(v.labels.reason)] = v.value;
      sendToParent({ type: 'drops', byReason });
      return;
    }
    case 'loop-delay':
      sendToParent(takeLoopDelay());
      return;
    case 'exit':
      await broker?.stop();
      registry?.close();
      process.exit(0);
  }
});
takeLoopDelay();
sendToParent({ type: 'hello' });
