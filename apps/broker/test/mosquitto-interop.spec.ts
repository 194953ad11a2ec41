import type { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { startBroker } from './support/broker.fixture';
import { scrape, sample } from './support/metrics.scrape';
import { MosquittoSub, run } from './support/mosquitto.tools';
import { RawClient } from './support/raw.client';
import { PASSWORDS, SECRETS, openTestRegistry, type TestDeviceId, type TestRegistry } from './support/registry.fixture';

// Real outside clients: Debian's mosquitto_pub and mosquitto_sub (MQTT 3.1.1) against the broker.
describe('mosquitto_pub / mosquitto_sub against the broker', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;
  let subs: MosquittoSub[] = [];

  beforeAll(async () => {
    reg = await openTestRegistry();
    broker = await startBroker(reg);
  });
  afterEach(async () => {
    await Promise.all(subs.map((s) => s.kill()));
    subs = [];
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
  });

  const base = () => ['-h', '127.0.0.1', '-p', String(broker.ports.mqtt), '-V', 'mqttv311'];
  const asDevice = (id: TestDeviceId) => ['-i', id, '-u', id, '-P', SECRETS[id]];
  const serviceSub = (...args: string[]) => {
    const s = new MosquittoSub([...base(), '-u', 'svc', '-P', PASSWORDS.svc, '-i', `svc-${subs.length}-${process.pid}`, ...args]);
    subs.push(s);
    return s;
  };
  const metric = async (name: string, labels: Record<string, string>) => sample(await scrape(broker.ports.http ?? 0), name, labels);

  it('a provisioned device publishes and a service subscriber receives it', async () => {
    const sub = serviceSub('-t', 'hb/v1/+/telemetry', '-q', '1');
    await sub.subscribed();
    const payload = JSON.stringify({ ts: Date.now(), seq: 1, totalL: 123456.7, batteryPct: 87 });
    const pub = await run('mosquitto_pub', [...base(), ...asDevice('WM-0001'), '-t', 'hb/v1/WM-0001/telemetry', '-q', '1', '-m', payload]);
    expect(pub).toMatchObject({ code: 0, stderr: '' });
    expect(await sub.message('hb/v1/WM-0001/telemetry')).toBe(payload);
  });

  it('refuses a wrong password (mosquitto_pub fails) and counts the auth failure', async () => {
    const before = await metric('hb_broker_auth_failures_total', { reason: 'bad_password' });
    const pub = await run('mosquitto_pub', [...base(), '-i', 'WM-0002', '-u', 'WM-0002', '-P', 'not-the-secret', '-t', 'hb/v1/WM-0002/telemetry', '-m', '{}']);
    expect(pub.code).not.toBe(0);
    expect(pub.stderr).toMatch(/bad user name or password/i);
    expect(await metric('hb_broker_auth_failures_total', { reason: 'bad_password' })).toBe(before + 1);
  });

  it("never delivers a device's publish to another device's topic", async () => {
    const sub = serviceSub('-t', 'hb/v1/#', '-q', '1');
    await sub.subscribed();
    const before = await metric('hb_broker_publishes_dropped_total', { reason: 'acl_denied' });
    const forged = JSON.stringify({ ts: Date.now(), totalL: 1 });
    // QoS 1: mosquitto_pub exits 0 once it has its PUBACK, so the broker has decided by then.
    const pub = await run('mosquitto_pub', [...base(), ...asDevice('WM-0001'), '-t', 'hb/v1/WM-0002/telemetry', '-q', '1', '-m', forged]);
    expect(pub.code).toBe(0);
    // A later message from the same device arrives, so the earlier one would have arrived before it.
    const marker = JSON.stringify({ ts: Date.now(), seq: 777, totalL: 2 });
    await run('mosquitto_pub', [...base(), ...asDevice('WM-0001'), '-t', 'hb/v1/WM-0001/telemetry', '-q', '1', '-m', marker]);
    expect(await sub.message('hb/v1/WM-0001/telemetry', '"seq":777')).toBe(marker);
    expect(sub.messages().filter((m) => m.topic === 'hb/v1/WM-0002/telemetry')).toEqual([]);
    expect(await metric('hb_broker_publishes_dropped_total', { reason: 'acl_denied' })).toBe(before + 1);
  });

  it("answers 0x80 to a subscription to another device's cmd", async () => {
    const device = await RawClient.connected(broker.ports.mqtt, { clientId: 'WM-0003', username: 'WM-0003', password: SECRETS['WM-0003'] });
    try {
      expect(await device.subscribe(['hb/v1/WM-0001/cmd', 'hb/v1/WM-0003/cmd', 'hb/v1/+/cmd'])).toEqual([0x80, 1, 0x80]);
    } finally {
      device.end();
      await device.closed;
    }
    // mosquitto_sub sees the same refusal ("Subscribed (mid: 1): 128") and reports every request denied.
    const sub = new MosquittoSub([...base(), ...asDevice('WM-0003'), '-t', 'hb/v1/WM-0001/cmd']);
    subs.push(sub);
    expect(await sub.waitForLine((l) => /Subscribed \(mid: \d+\): 128/.test(l))).toBeTruthy();
  });

  it("delivers a device's Last Will to the service subscriber when its process is killed", async () => {
    // -R: skip a retained status left by an earlier test; only what happens from now on counts.
    const watcher = serviceSub('-R', '-t', 'hb/v1/SA-0001/status', '-q', '1');
    await watcher.subscribed();
    const device = new MosquittoSub([...base(), ...asDevice('SA-0001'), '-t', 'hb/v1/SA-0001/cmd', '-q', '1']);
    subs.push(device);
    await device.subscribed();
    const online = JSON.parse(await watcher.message('hb/v1/SA-0001/status', '"online":true')) as { online: boolean; ts: number };
    expect(online.online).toBe(true);
    expect(Number.isInteger(online.ts)).toBe(true);
    await device.kill('SIGKILL');
    expect(JSON.parse(await watcher.message('hb/v1/SA-0001/status', '"online":false'))).toEqual({ online: false });
  });
});
