import { register as globalRegistry } from 'prom-client';
import type { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { LogCapture, startBroker } from './support/broker.fixture';
import { connectDevice, connectUser, Inbox } from './support/mqtt.client';
import { httpGet, parseMetrics, sample, scrape } from './support/metrics.scrape';
import { openTestRegistry, type TestRegistry } from './support/registry.fixture';

describe('per-client message rate', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;
  let now = Date.UTC(2026, 9, 1);
  const logs = new LogCapture('warn');

  beforeAll(async () => {
    reg = await openTestRegistry();
    // 5 msg/s sustained, bursts of 10; the clock only moves when the test moves it.
    broker = await startBroker(reg, { clientMsgRate: 5, clock: () => now, logger: logs.logger });
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
  });

  it('drops publishes over the token bucket, counts them as rate_limited, and keeps the connection', async () => {
    const svc = await connectUser(broker.ports.mqtt, 'svc');
    const inbox = new Inbox(svc);
    await svc.subscribeAsync('hb/v1/WM-0001/telemetry', { qos: 1 });
    const device = await connectDevice(broker.ports.mqtt, 'WM-0001');
    const send = async (seq: number) => device.publishAsync('hb/v1/WM-0001/telemetry', JSON.stringify({ ts: now, seq, totalL: seq }), { qos: 1 });

    for (let seq = 1; seq <= 15; seq++) await send(seq); // every one is PUBACKed
    now += 1000; // five more tokens
    for (let seq = 16; seq <= 21; seq++) await send(seq);
    now += 200; // one more
    await send(22);

    await inbox.on('hb/v1/WM-0001/telemetry', '"seq":22,');
    const seqs = inbox.messages.map((m) => (JSON.parse(m.text) as { seq: number }).seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 22]);
    expect(device.connected).toBe(true);
    expect(sample(await scrape(broker.ports.http ?? 0), 'hb_broker_publishes_dropped_total', { reason: 'rate_limited' })).toBe(6);
    // Logged with the client id and reason, once (the throttle interval has not passed on this clock).
    expect(logs.matching('PUBLISH dropped')).toEqual([expect.objectContaining({ clientId: 'WM-0001', reason: 'rate_limited' })]);
    await Promise.all([svc.endAsync(), device.endAsync()]);
  });
});

describe('/health and /metrics', () => {
  let reg: TestRegistry;
  let a: HearthbeatBroker;
  let b: HearthbeatBroker;

  beforeAll(async () => {
    reg = await openTestRegistry();
    // Two brokers in one process, as the platform may embed components side by side.
    a = await startBroker(reg);
    b = await startBroker(reg, { wsPort: null });
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    reg.close();
  });

  it('answers /health with JSON and 200 while listening', async () => {
    const res = await httpGet(a.ports.http ?? 0, '/health');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', ports: { mqtt: a.ports.mqtt, ws: a.ports.ws, http: a.ports.http }, connections: 0 });
    expect((await httpGet(a.ports.http ?? 0, '/nope')).status).toBe(404);
  });

  it('serves Prometheus text with every metric of the broker, each reason present from the start', async () => {
    const res = await httpGet(a.ports.http ?? 0, '/metrics');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(res.body);
    for (const name of [
      'hb_broker_connections',
      'hb_broker_sockets',
      'hb_broker_connects_total',
      'hb_broker_messages_received_total',
      'hb_broker_messages_delivered_total',
      'hb_broker_keepalive_timeouts_total',
      'hb_broker_wills_published_total',
    ]) {
      expect({ name, present: samples.has(name) }).toEqual({ name, present: true });
    }
    for (const [name, reason] of [
      ['hb_broker_payload_rejections_total', 'ts_in_future'],
      ['hb_broker_publishes_dropped_total', 'acl_denied'],
      ['hb_broker_auth_failures_total', 'bad_password'],
      ['hb_broker_connections_refused_total', 'max_connections'],
      ['hb_broker_packet_errors_total', 'bad_remaining_length'],
      ['hb_broker_subscriptions_denied_total', 'denied_by_rule'],
    ] as const) {
      expect({ name, reason, has: samples.has(`${name}{reason="${reason}"}`) }).toEqual({ name, reason, has: true });
    }
    // No per-device label anywhere (bounded cardinality).
    expect(res.body).not.toMatch(/deviceId|WM-0001/);
  });

  it('keeps its metrics in its own registry, never the global one', async () => {
    expect(a.metrics).not.toBe(globalRegistry);
    expect(a.metrics).not.toBe(b.metrics);
    expect(await globalRegistry.metrics()).not.toMatch(/hb_broker_/);
    const device = await connectDevice(a.ports.mqtt, 'WM-0002');
    await device.publishAsync('hb/v1/WM-0002/telemetry', JSON.stringify({ ts: Date.now(), totalL: 1 }), { qos: 1 });
    expect(sample(parseMetrics(await a.metrics.metrics()), 'hb_broker_messages_received_total')).toBe(1);
    expect(sample(parseMetrics(await b.metrics.metrics()), 'hb_broker_messages_received_total')).toBe(0);
    expect(b.ports.ws).toBeUndefined();
    await device.endAsync();
  });
});
