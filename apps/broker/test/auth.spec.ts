import type { IClientOptions } from 'mqtt';
import type { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { startBroker } from './support/broker.fixture';
import { connackCode, connectDevice, connectUser, tcpUrl } from './support/mqtt.client';
import { sample, scrape } from './support/metrics.scrape';
import { RawClient } from './support/raw.client';
import { until } from './support/until';
import { PASSWORDS, SECRETS, openTestRegistry, type TestRegistry } from './support/registry.fixture';

describe('CONNECT: who may connect, and the return codes of refusals', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;

  beforeAll(async () => {
    reg = await openTestRegistry();
    broker = await startBroker(reg);
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
  });

  const cases: [string, IClientOptions, number, string | null][] = [
    ['a device with its secret', { clientId: 'WM-0001', username: 'WM-0001', password: SECRETS['WM-0001'] }, 0, null],
    ['a service user', { clientId: 'engine-1', username: 'svc', password: PASSWORDS.svc }, 0, null],
    ['a device with a wrong secret', { clientId: 'WM-0001', username: 'WM-0001', password: 'wrong-secret-123' }, 4, 'bad_password'],
    ['a device with the secret of another', { clientId: 'WM-0001', username: 'WM-0001', password: SECRETS['WM-0002'] }, 4, 'bad_password'],
    ['an unknown device', { clientId: 'WM-9999', username: 'WM-9999', password: 'whatever-secret' }, 4, 'unknown_username'],
    ['a username without a password', { clientId: 'WM-0001', username: 'WM-0001' }, 4, 'missing_password'],
    ['a device whose client id differs from its username', { clientId: 'WM-0002', username: 'WM-0001', password: SECRETS['WM-0001'] }, 5, 'client_id_mismatch'],
    ['a service user taking a device client id', { clientId: 'WM-0001', username: 'svc', password: PASSWORDS.svc }, 5, 'client_id_mismatch'],
    ['a service user with a wrong password', { clientId: 'engine-2', username: 'svc', password: 'nope-nope-nope' }, 4, 'bad_password'],
    ['a user whose role is not service', { clientId: 'staff-1', username: 'staff', password: PASSWORDS.staff }, 5, 'role_not_allowed'],
    ['anonymous while not allowed', { clientId: 'anon-1' }, 5, 'anonymous_not_allowed'],
    ['a client id with a wildcard', { clientId: 'bad#id', username: 'svc', password: PASSWORDS.svc }, 2, 'identifier_rejected'],
    ['a client id over 128 characters', { clientId: 'x'.repeat(129), username: 'svc', password: PASSWORDS.svc }, 2, 'identifier_rejected'],
    ['a Will on another device topic', { clientId: 'WM-0003', username: 'WM-0003', password: SECRETS['WM-0003'], will: { topic: 'hb/v1/WM-0001/status', payload: Buffer.from('{"online":false}'), qos: 1, retain: true } }, 5, 'will_not_authorized'],
  ];

  it.each(cases.map(([name, opts, code, reason]) => [name, code, reason ?? 'accepted', opts] as const))('%s: CONNACK %d (%s)', async (_name, code, reason, opts) => {
    const before = await scrape(broker.ports.http ?? 0);
    expect(await connackCode(tcpUrl(broker.ports.mqtt), opts)).toBe(code);
    const after = await scrape(broker.ports.http ?? 0);
    if (reason !== 'accepted') expect(sample(after, 'hb_broker_auth_failures_total', { reason }) - sample(before, 'hb_broker_auth_failures_total', { reason })).toBe(1);
    else expect(sample(after, 'hb_broker_connects_total') - sample(before, 'hb_broker_connects_total')).toBe(1);
  });

  it('refuses a zero-length client id with CleanSession=0 with return code 2 [MQTT-3.1.3-8]', async () => {
    const raw = await RawClient.open(broker.ports.mqtt);
    // Built by hand: mqtt-packet refuses to encode this CONNECT at all.
    const user = Buffer.from('svc');
    const pass = Buffer.from(PASSWORDS.svc);
    const field = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
    const body = Buffer.concat([field(Buffer.from('MQTT')), Buffer.from([4, 0xc0, 0, 60]), field(Buffer.alloc(0)), field(user), field(pass)]);
    raw.send(Buffer.concat([Buffer.from([0x10, body.length]), body]));
    expect(await raw.next('connack')).toMatchObject({ returnCode: 2 });
    await raw.closed; // [MQTT-3.2.2-5] the server closes after a refusal
  });

  it('accepts a zero-length client id with CleanSession=1 and assigns one', async () => {
    const raw = await RawClient.open(broker.ports.mqtt);
    expect(await raw.connect({ clientId: '', clean: true, username: 'svc', password: PASSWORDS.svc })).toMatchObject({ returnCode: 0 });
    raw.send({ cmd: 'disconnect' });
    await raw.closed;
  });
});

describe('connection limit', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;

  beforeAll(async () => {
    reg = await openTestRegistry();
    broker = await startBroker(reg, { maxConnections: 2 });
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
  });

  it('refuses the CONNECT over the limit with return code 3, counts it, and admits again after a close', async () => {
    const a = await connectDevice(broker.ports.mqtt, 'WM-0001');
    const b = await connectUser(broker.ports.mqtt, 'svc');
    expect(broker.connectionCount).toBe(2);
    expect(await connackCode(tcpUrl(broker.ports.mqtt), { clientId: 'WM-0002', username: 'WM-0002', password: SECRETS['WM-0002'] })).toBe(3);
    expect(sample(await scrape(broker.ports.http ?? 0), 'hb_broker_connections_refused_total', { reason: 'max_connections' })).toBe(1);
    expect(sample(await scrape(broker.ports.http ?? 0), 'hb_broker_connections')).toBe(2);
    await a.endAsync();
    // The slot frees when the broker sees the socket close; a refused attempt never held one.
    await until(() => broker.connectionCount === 1);
    const c = await connectDevice(broker.ports.mqtt, 'WM-0002');
    expect(c.connected).toBe(true);
    await Promise.all([b.endAsync(), c.endAsync()]);
  });
});
