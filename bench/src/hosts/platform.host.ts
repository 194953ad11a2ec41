import { startPlatform, type Platform } from '@hearthbeat/platform';
import { serveParent, sendToParent, type IpcMessage } from '../core/ipc';
import { epochNow } from '../core/stats';
import { openBenchRegistry } from './bench-registry';
import { takeLoopDelay, takeSample, type HostCommand } from './host.protocol';

/**
 * Forked by the bench: the whole platform as `npm start` runs it (startPlatform: registry, broker and
 * rules engine with its SQLite store in one process), on loopback ports chosen by the OS. It reports
 * the engine's evaluated-message counter every 50 ms and, for the latency phase, the moment each
 * alert opens in the engine (CoreDriver.events$), on the shared clock.
 */
const REPORT_MS = 50;
let platform: Platform | undefined;
let reporter: NodeJS.Timeout | undefined;

/** Sum of a counter's values, optionally only those with one label value. */
async function counterValue(p: Platform, name: string, label?: { key: string; value: string }): Promise<number> {
  const metric = p.engine.runtime.metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  let sum = 0;
  for (const v of (await metric.get()).values) if (!label || v.labels[label.key] === label.value) sum += v.value;
  return sum;
}


serveParent(async (raw: IpcMessage) => {
  const msg = raw as HostCommand;
  switch (msg.type) {
    case 'start': {
      // The registry is provisioned first with the bench's scrypt cost; startPlatform then opens it as usual.
      (await openBenchRegistry(msg.dataDir, msg.registryFile)).close();
      const p = await startPlatform({
        env: {
          ...process.env,
          HB_DATA_DIR: msg.dataDir,
          HB_HOST: '127.0.0.1',
          HB_MQTT_PORT: '0',
          HB_MQTT_WS_PORT: '0',
          HB_HTTP_PORT: '0',
          HB_MQTT_CLIENT_MSG_RATE: '1000000',
          HB_LOG_LEVEL: 'warn',
          ...msg.env,
        },
      });
      platform = p;
      p.engine.runtime.driver.events$.subscribe(({ event }) => {
        if (event.type === 'alert' && event.change === 'opened') {
          sendToParent({ type: 'alert', at: epochNow(), deviceId: event.alert.deviceId ?? null, rule: event.alert.rule });
        }
      });
      reporter = setInterval(() => {
        void Promise.all([counterValue(p, 'hb_engine_messages_total', { key: 'channel', value: 'telemetry' }), counterValue(p, 'hb_engine_rejections_total')]).then(
          ([count, rejected]) => sendToParent({ type: 'count', count, rejected, at: epochNow() }),
        );
      }, REPORT_MS);
      sendToParent({ type: 'ready', mqttPort: p.broker.ports.mqtt, httpPort: p.engine.httpPort, telemetryStore: msg.env?.HB_TELEMETRY_STORE ?? process.env.HB_TELEMETRY_STORE ?? 'embedded' });
      return;
    }
    case 'sample':
      sendToParent(takeSample(platform?.broker.connectionCount ?? 0));
      return;
    case 'drops':
      sendToParent({ type: 'drops', byReason: {} });
      return;
    case 'telemetry': {
      const p = platform;
      const read = (name: string) => (p ? counterValue(p, name) : Promise.resolve(0));
      const [written, dropped, rejected, retries, tooOld, buffered] = await Promise.all(
        [
          'hb_telemetry_points_written_total',
          'hb_telemetry_points_dropped_total',
          'hb_telemetry_points_rejected_total',
          'hb_telemetry_write_retries_total',
          'hb_telemetry_points_too_old_total',
          'hb_telemetry_points_buffered',
        ].map(read),
      );
      sendToParent({ type: 'telemetry', written, dropped, rejected, retries, tooOld, buffered });
      return;
    }
    case 'loop-delay':
      sendToParent(takeLoopDelay());
      return;
    case 'exit':
      if (reporter) clearInterval(reporter);
      await platform?.stop();
      process.exit(0);
  }
});
takeLoopDelay();
sendToParent({ type: 'hello' });
