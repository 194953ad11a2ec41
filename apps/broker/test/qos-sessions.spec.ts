import type { MqttClient } from 'mqtt';
import type { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { startBroker } from './support/broker.fixture';
import { connectDevice, connectUser, Inbox, type Received } from './support/mqtt.client';
import { sample, scrape } from './support/metrics.scrape';
import { RawClient } from './support/raw.client';
import { SECRETS, openTestRegistry, type TestRegistry } from './support/registry.fixture';

const reading = (seq: number) => JSON.stringify({ ts: Date.now(), seq, totalL: 100 + seq });

/** The broker's "online" status of a connection made at or after `since` (not a retained older one). */
function onlineSince(inbox: Inbox, topic: string, since: number): Promise<Received> {
  return inbox.waitFor((m) => m.topic === topic && m.text.startsWith('{"online":true,"ts":') && (JSON.parse(m.text) as { ts: number }).ts >= since);
}

/** The first "offline" status received after `online`. */
function offlineAfter(inbox: Inbox, online: Received): Promise<Received> {
  const from = inbox.messages.indexOf(online);
  return inbox.waitFor((m) => inbox.messages.indexOf(m) > from && m.topic === online.topic && m.text.includes('"online":false'));
}

describe('QoS, retained messages, sessions and Wills', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;
  let open: MqttClient[] = [];
  const track = (c: MqttClient) => (open.push(c), c);

  beforeAll(async () => {
    reg = await openTestRegistry();
    broker = await startBroker(reg);
  });
  afterEach(async () => {
    await Promise.all(open.map((c) => c.endAsync()));
    open = [];
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
  });
  const port = () => broker.ports.mqtt;
  const metric = async (name: string) => sample(await scrape(broker.ports.http ?? 0), name);

  it('delivers QoS 0 at QoS 0 and QoS 1 at QoS 1 (with a PUBACK to the device)', async () => {
    const svc = track(await connectUser(port(), 'svc'));
    const inbox = new Inbox(svc);
    await svc.subscribeAsync({ 'hb/v1/WM-0001/telemetry': { qos: 1 }, 'hb/v1/WM-0001/event': { qos: 0 } });
    const device = await RawClient.connected(port(), { clientId: 'WM-0001', username: 'WM-0001', password: SECRETS['WM-0001'] });
    device.publish('hb/v1/WM-0001/telemetry', reading(1), 0);
    device.publish('hb/v1/WM-0001/telemetry', reading(2), 1, 7);
    expect(await device.next('puback')).toMatchObject({ cmd: 'puback', messageId: 7 });
    // Granted QoS caps delivery: a QoS 1 publish to a QoS 0 subscription arrives at QoS 0 [MQTT-3.8.4-6].
    device.publish('hb/v1/WM-0001/event', JSON.stringify({ ts: Date.now(), event: 'leak' }), 1, 8);
    expect(await device.next('puback')).toMatchObject({ messageId: 8 });
    expect(await inbox.on('hb/v1/WM-0001/telemetry', '"seq":1,')).toMatchObject({ qos: 0, retain: false });
    expect(await inbox.on('hb/v1/WM-0001/telemetry', '"seq":2,')).toMatchObject({ qos: 1, retain: false });
    expect(await inbox.on('hb/v1/WM-0001/event')).toMatchObject({ qos: 0 });
    device.send({ cmd: 'disconnect' });
    await device.closed;
  });

  it('keeps the retained online status and a retained publish for later subscribers', async () => {
    const device = track(await connectDevice(port(), 'SA-0001'));
    const event = JSON.stringify({ ts: Date.now(), event: 'test' });
    await device.publishAsync('hb/v1/SA-0001/event', event, { qos: 1, retain: true });
    const late = track(await connectUser(port(), 'svc'));
    const inbox = new Inbox(late);
    await late.subscribeAsync('hb/v1/SA-0001/+', { qos: 1 });
    const status = await inbox.on('hb/v1/SA-0001/status', '"online":true');
    expect(status.retain).toBe(true);
    expect(JSON.parse(status.text)).toEqual({ online: true, ts: expect.any(Number) });
    expect(await inbox.on('hb/v1/SA-0001/event')).toMatchObject({ text: event, retain: true });
  });

  it('queues QoS 1 for a persistent session and delivers after it reconnects', async () => {
    const clientId = 'svc-persistent-1';
    const first = await connectUser(port(), 'svc', { clientId, clean: false });
    await first.subscribeAsync('hb/v1/WM-0002/telemetry', { qos: 1 });
    await first.endAsync();
    const device = track(await connectDevice(port(), 'WM-0002'));
    for (const seq of [11, 12, 13]) await device.publishAsync('hb/v1/WM-0002/telemetry', reading(seq), { qos: 1 });

    const again = track(await connectUser(port(), 'svc', { clientId, clean: false }));
    const inbox = new Inbox(again);
    for (const seq of [11, 12, 13]) expect(await inbox.on('hb/v1/WM-0002/telemetry', `"seq":${seq},`)).toMatchObject({ qos: 1 });
    expect(inbox.messages.filter((m) => m.topic === 'hb/v1/WM-0002/telemetry').map((m) => (JSON.parse(m.text) as { seq: number }).seq)).toEqual([11, 12, 13]);
  });

  it('keeps nothing for a clean session', async () => {
    const clientId = 'svc-clean-1';
    const first = await connectUser(port(), 'svc', { clientId, clean: true });
    await first.subscribeAsync('hb/v1/WM-0003/telemetry', { qos: 1 });
    await first.endAsync();
    const device = track(await connectDevice(port(), 'WM-0003'));
    await device.publishAsync('hb/v1/WM-0003/telemetry', reading(21), { qos: 1 });

    const again = track(await connectUser(port(), 'svc', { clientId, clean: true }));
    const inbox = new Inbox(again);
    await again.subscribeAsync('hb/v1/WM-0003/telemetry', { qos: 1 });
    await device.publishAsync('hb/v1/WM-0003/telemetry', reading(22), { qos: 1 });
    await inbox.on('hb/v1/WM-0003/telemetry', '"seq":22,');
    expect(inbox.messages.map((m) => m.text).filter((t) => t.includes('"seq":21,'))).toEqual([]);
  });

  it('fires the Will when a device stops sending past 1.5x its keepalive', async () => {
    const svc = track(await connectUser(port(), 'svc'));
    const inbox = new Inbox(svc);
    await svc.subscribeAsync('hb/v1/WM-0002/status', { qos: 1 });
    const before = await metric('hb_broker_keepalive_timeouts_total');
    const since = Date.now();
    const silent = await RawClient.connected(port(), { clientId: 'WM-0002', username: 'WM-0002', password: SECRETS['WM-0002'], keepalive: 1 });
    const online = await onlineSince(inbox, 'hb/v1/WM-0002/status', since);
    // No PINGREQ, nothing at all: aedes closes the client after 1.5 s [MQTT-3.1.2-24].
    await silent.closed;
    const will = await offlineAfter(inbox, online);
    expect(JSON.parse(will.text)).toEqual({ online: false });
    expect(await metric('hb_broker_keepalive_timeouts_total')).toBe(before + 1);
  });

  it("publishes the device's own Will instead of the broker's when it set one", async () => {
    const svc = track(await connectUser(port(), 'svc'));
    const inbox = new Inbox(svc);
    await svc.subscribeAsync('hb/v1/EL-0001/status', { qos: 1 });
    const own = JSON.stringify({ online: false, seq: 4242 });
    const since = Date.now();
    const device = await RawClient.open(port());
    const connack = await device.connect({ clientId: 'EL-0001', username: 'EL-0001', password: SECRETS['EL-0001'], will: { topic: 'hb/v1/EL-0001/status', payload: own, qos: 1, retain: true } });
    expect(connack).toMatchObject({ returnCode: 0 });
    const online = await onlineSince(inbox, 'hb/v1/EL-0001/status', since);
    device.kill();
    expect((await offlineAfter(inbox, online)).text).toBe(own);
  });

  it('does not fire the Will after a clean DISCONNECT', async () => {
    const svc = track(await connectUser(port(), 'svc'));
    const inbox = new Inbox(svc);
    await svc.subscribeAsync('hb/v1/WM-0001/status', { qos: 1 });
    const wills = await metric('hb_broker_wills_published_total');
    const device = await connectDevice(port(), 'WM-0001');
    const firstOnline = await inbox.on('hb/v1/WM-0001/status', '"online":true');
    await device.endAsync(); // sends DISCONNECT
    // The next status after reconnecting is "online" again: no offline came in between.
    const again = track(await connectDevice(port(), 'WM-0001'));
    await inbox.waitFor((m) => m !== firstOnline && m.topic === 'hb/v1/WM-0001/status' && m.text.includes('"online":true'));
    expect(inbox.messages.filter((m) => m.text.includes('"online":false'))).toEqual([]);
    expect(await metric('hb_broker_wills_published_total')).toBe(wills);
    expect(again.connected).toBe(true);
  });
});
