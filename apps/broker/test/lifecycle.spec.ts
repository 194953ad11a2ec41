import * as net from 'node:net';
import pino from 'pino';
import { BrokerStartError } from '../src/broker/broker.errors';
import { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { startBroker } from './support/broker.fixture';
import { connackCode, connectDevice, connectUser, tcpUrl } from './support/mqtt.client';
import { httpGet, parseMetrics, sample } from './support/metrics.scrape';
import { RawClient } from './support/raw.client';
import { SECRETS, openTestRegistry, type TestRegistry } from './support/registry.fixture';

describe('start and stop', () => {
  let reg: TestRegistry;

  beforeAll(async () => {
    reg = await openTestRegistry();
  });
  afterAll(() => reg.close());

  it('reports a port in use as a BrokerStartError and leaves nothing listening', async () => {
    const first = await startBroker(reg);
    const second = new HearthbeatBroker({ registry: reg.store, host: '127.0.0.1', mqttPort: 0, wsPort: first.ports.ws ?? 0, httpPort: 0, logger: pino({ level: 'silent' }) });
    try {
      await expect(second.start()).rejects.toThrow(BrokerStartError);
      expect(second.listening).toBe(false);
      expect(() => second.ports).toThrow(/not started/);
      const c = await connectDevice(first.ports.mqtt, 'WM-0001');
      expect(c.connected).toBe(true);
      await c.endAsync();
    } finally {
      await first.stop();
    }
  });

  it('stops with clients of every kind connected, without publishing their Wills, and can start again', async () => {
    const broker = await startBroker(reg);
    const device = await connectDevice(broker.ports.mqtt, 'WM-0002');
    const svc = await connectUser(broker.ports.mqtt, 'svc');
    const silent = await RawClient.open(broker.ports.mqtt); // a socket that never sends CONNECT
    const closedByBroker = new Promise<void>((resolve) => device.once('close', () => resolve()));
    const port = broker.ports.mqtt;
    await broker.stop();
    await Promise.all([closedByBroker, silent.closed]);
    expect(sample(parseMetrics(await broker.metrics.metrics()), 'hb_broker_wills_published_total')).toBe(0);
    expect(broker.listening).toBe(false);
    await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    await broker.stop(); // idempotent
    device.end(true);
    svc.end(true);

    await broker.start();
    const again = await connectDevice(broker.ports.mqtt, 'WM-0002');
    expect(again.connected).toBe(true);
    await again.endAsync();
    await broker.stop();
  });

  it('survives its registry failing underneath: CONNECTs get 3, a publish closes only that client', async () => {
    const own = await openTestRegistry();
    const broker = await startBroker(own);
    try {
      const device = await connectDevice(broker.ports.mqtt, 'WM-0001');
      const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
      own.store.close();
      expect(await connackCode(tcpUrl(broker.ports.mqtt), { clientId: 'WM-0002', username: 'WM-0002', password: SECRETS['WM-0002'] })).toBe(3);
      device.publish('hb/v1/WM-0001/telemetry', JSON.stringify({ ts: Date.now(), totalL: 1 }), { qos: 0 });
      await closed;
      expect(broker.listening).toBe(true);
      expect((await httpGet(broker.ports.http ?? 0, '/health')).status).toBe(200);
      device.end(true);
    } finally {
      await broker.stop();
      own.close();
    }
  });
});
