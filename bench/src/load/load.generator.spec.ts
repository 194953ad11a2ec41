import pino from 'pino';
import { HearthbeatBroker } from '@hearthbeat/broker';
import type { SqliteRegistryStore } from '@hearthbeat/registry';
import { tempDir, waitFor } from '@hearthbeat/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBenchFleet } from '../fleet/bench-fleet';
import { waterEpochFor } from '../fleet/load-payloads';
import { openBenchRegistry } from '../hosts/bench-registry';
import { LoadGenerator } from './load.generator';
import { SinkSubscriber } from './sink.subscriber';

/**
 * The harness at a trivial size, in-process against the project's broker: 2 device connections (on two
 * source addresses), 50 QoS 1 messages, a counting service subscriber; no timing asserts.
 */
describe('load generator and sink against the broker', () => {
  const fleet = buildBenchFleet({ residents: 1, elevators: 1 });
  const dir = tempDir('bench-smoke');
  let registry: SqliteRegistryStore;
  let broker: HearthbeatBroker;
  let port = 0;

  beforeAll(async () => {
    const file = path.join(dir, 'registry.json');
    fs.writeFileSync(file, JSON.stringify(fleet.file));
    registry = await openBenchRegistry(path.join(dir, 'data'), file);
    broker = new HearthbeatBroker({ registry, host: '127.0.0.1', mqttPort: 0, wsPort: null, httpPort: null, clientMsgRate: 1_000_000, logger: pino({ level: 'silent' }) });
    port = (await broker.start()).mqtt;
  });

  afterAll(async () => {
    await broker.stop();
    registry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes exactly the messages asked for, all acknowledged and delivered', async () => {
    const sink = new SinkSubscriber();
    await sink.start({ host: '127.0.0.1', port, clientId: 'bench-sink', username: fleet.service.username, password: fleet.service.password, filters: ['hb/v1/+/telemetry'] });
    const gen = new LoadGenerator();
    const connected = await gen.connect({ host: '127.0.0.1', port, devices: fleet.load, keepaliveS: 60, localAddresses: ['127.0.0.1', '127.0.0.2'], perAddress: 1, concurrency: 2 });
    expect(connected).toMatchObject({ connected: 2, failed: 0 });
    gen.start({ window: 2, ratePerS: 0, waterEpoch: waterEpochFor(Date.now()), startIndex: [0, 10], maxBacklog: 1000, maxMessages: 50 }, fleet.load);
    await waitFor('50 deliveries', () => sink.received >= 50);
    const report = await gen.stop(5000);
    expect(report).toMatchObject({ type: 'stopped', sent: 50, acked: 50, unacked: 0 });
    expect(sink.received).toBe(50);
    // Each device's stream continues where it stopped (reading time only moves forward).
    expect((report.nextIndex[0] ?? 0) + ((report.nextIndex[1] ?? 0) - 10)).toBe(50);
    expect(report.payloadBytesMean).toBeGreaterThan(150);
    expect(broker.rejections()).toEqual([]);
    await gen.close();
    await sink.stop();
  });

  it('pauses when the sink falls behind by more than the backlog bound', async () => {
    const gen = new LoadGenerator();
    await gen.connect({ host: '127.0.0.1', port, devices: fleet.load, keepaliveS: 60, localAddresses: [], perAddress: 2, concurrency: 2 });
    // No sink progress is ever reported, so sending stops once 10 acknowledged messages are outstanding.
    gen.start({ window: 1, ratePerS: 0, waterEpoch: waterEpochFor(Date.now()), startIndex: [100, 100], maxBacklog: 10, maxMessages: 1000 }, fleet.load);
    await waitFor('the pause', async () => {
      const before = gen.counts.acked;
      await new Promise((r) => setTimeout(r, 100));
      return gen.counts.acked === before && before > 0;
    });
    const report = await gen.stop(5000);
    expect(report.acked).toBeGreaterThan(10);
    expect(report.acked).toBeLessThanOrEqual(13);
    await gen.close();
  });
});
