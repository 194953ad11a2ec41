import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { MqttClient } from 'mqtt';
import { AclParseError } from '../src/acl/acl-file.parser';
import { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import { startBroker } from './support/broker.fixture';
import { connackCode, connect, connectUser, Inbox, tcpUrl } from './support/mqtt.client';
import { sample, scrape } from './support/metrics.scrape';
import { RawClient } from './support/raw.client';
import { PASSWORDS, openTestRegistry, type TestRegistry } from './support/registry.fixture';

const ACL = `# Hearthbeat access file (mosquitto acl_file syntax)
# Anonymous clients (HB_MQTT_ALLOW_ANONYMOUS=true):
topic readwrite public/#
topic deny public/secret

# A dashboard account (role staff): may connect because it has a section here.
user dash
topic read hb/v1/+/status

# The rules engine: everything built in, except one device; and a bridge may write telemetry.
user svc
topic deny hb/v1/SA-0001/#
topic write hb/v1/+/telemetry

# Everyone, whatever section they are in:
pattern readwrite clients/%c/#
pattern read inbox/%u
`;

describe('access file (mosquitto acl_file syntax)', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;
  let dir: string;
  let aclFile: string;
  let open: MqttClient[] = [];
  const track = (c: MqttClient) => (open.push(c), c);

  beforeAll(async () => {
    reg = await openTestRegistry();
    dir = mkdtempSync(path.join(tmpdir(), 'hb-broker-acl-'));
    aclFile = path.join(dir, 'acl');
    writeFileSync(aclFile, ACL);
    broker = await startBroker(reg, { aclFile, allowAnonymous: true });
  });
  afterEach(async () => {
    await Promise.all(open.map((c) => c.endAsync()));
    open = [];
  });
  afterAll(async () => {
    await broker.stop();
    reg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const anonymous = async (clientId: string) => track(await connect(tcpUrl(broker.ports.mqtt), { clientId }));
  const raw = (clientId: string, username?: keyof typeof PASSWORDS) =>
    RawClient.connected(broker.ports.mqtt, { clientId, ...(username ? { username, password: PASSWORDS[username] } : {}) });
  const subacks = async (c: RawClient, filters: string[]) => {
    try {
      return await c.subscribe(filters);
    } finally {
      c.end();
      await c.closed;
    }
  };

  it('anonymous section: allowed topics flow, deny wins, and a filter reaching a denied topic gets 0x80', async () => {
    expect(await subacks(await raw('anon-sub'), ['public/news', 'public/secret', 'public/#', 'hb/v1/#'])).toEqual([1, 0x80, 0x80, 0x80]);
    const reader = await anonymous('anon-reader');
    const inbox = new Inbox(reader);
    expect(await reader.subscribeAsync('public/news', { qos: 1 })).toEqual([{ topic: 'public/news', qos: 1 }]);
    const writer = await anonymous('anon-writer');
    const before = sample(await scrape(broker.ports.http ?? 0), 'hb_broker_publishes_dropped_total', { reason: 'acl_denied' });
    await writer.publishAsync('public/secret', 'leak', { qos: 1 });
    await writer.publishAsync('public/news', 'hello', { qos: 1 });
    expect((await inbox.on('public/news')).text).toBe('hello');
    expect(sample(await scrape(broker.ports.http ?? 0), 'hb_broker_publishes_dropped_total', { reason: 'acl_denied' })).toBe(before + 1);
  });

  it('pattern %c: each client its own subtree', async () => {
    expect(await subacks(await raw('kiosk-1'), ['clients/kiosk-1/#', 'clients/kiosk-2/#', 'clients/+/#'])).toEqual([1, 0x80, 0x80]);
  });

  it('pattern %u: a named user its own inbox; anonymous none', async () => {
    expect(await subacks(await raw('dash-board-1', 'dash'), ['inbox/dash', 'inbox/svc', 'inbox/+'])).toEqual([1, 0x80, 0x80]);
    expect(await subacks(await raw('anon-inbox'), ['inbox/dash'])).toEqual([0x80]);
  });

  it('a user section lets a non-service user connect with exactly its rights; a user without one is refused', async () => {
    expect(await subacks(await raw('dash-board-2', 'dash'), ['hb/v1/+/status', 'hb/v1/+/telemetry', 'hb/v1/#'])).toEqual([1, 0x80, 0x80]);
    expect(await connackCode(tcpUrl(broker.ports.mqtt), { clientId: 'staff-x', username: 'staff', password: PASSWORDS.staff })).toBe(5);
  });

  it("deny narrows a service user's built-in read, on the exact device and on wildcards reaching it", async () => {
    expect(await subacks(await raw('engine-acl', 'svc'), ['hb/v1/SA-0001/event', 'hb/v1/+/event', 'hb/v1/WM-0001/event', 'hb/v1/#'])).toEqual([0x80, 0x80, 1, 0x80]);
    const denied = sample(await scrape(broker.ports.http ?? 0), 'hb_broker_subscriptions_denied_total', { reason: 'denied_by_rule' });
    expect(denied).toBeGreaterThanOrEqual(3);
  });

  it('a write grant to device topics still goes through payload validation and the registry', async () => {
    const bridge = track(await connectUser(broker.ports.mqtt, 'svc', { clientId: 'bridge-1' }));
    const watcher = track(await connectUser(broker.ports.mqtt, 'svc', { clientId: 'watcher-1' }));
    const inbox = new Inbox(watcher);
    // Not hb/v1/+/telemetry: that filter reaches the denied SA-0001 and would be refused.
    await watcher.subscribeAsync('hb/v1/WM-0002/telemetry', { qos: 1 });
    const before = await scrape(broker.ports.http ?? 0);
    await bridge.publishAsync('hb/v1/WM-0002/telemetry', JSON.stringify({ ts: Date.now(), totalL: -5 }), { qos: 1 });
    await bridge.publishAsync('hb/v1/XX-0404/telemetry', JSON.stringify({ ts: Date.now(), totalL: 5 }), { qos: 1 });
    const good = JSON.stringify({ ts: Date.now(), seq: 31, totalL: 5 });
    await bridge.publishAsync('hb/v1/WM-0002/telemetry', good, { qos: 1 });
    expect((await inbox.on('hb/v1/WM-0002/telemetry')).text).toBe(good);
    expect(inbox.messages.map((m) => m.text)).toEqual([good]);
    const after = await scrape(broker.ports.http ?? 0);
    const delta = (reason: string) => sample(after, 'hb_broker_publishes_dropped_total', { reason }) - sample(before, 'hb_broker_publishes_dropped_total', { reason });
    expect({ invalid: delta('invalid_payload'), unknown: delta('unknown_device') }).toEqual({ invalid: 1, unknown: 1 });
    expect(broker.rejections('WM-0002')).toEqual([expect.objectContaining({ reason: 'out_of_range', count: 1 })]);
  });

  it('applies an edited file on reloadAcl()', async () => {
    writeFileSync(aclFile, `${ACL}\nuser dash\ntopic read hb/v1/+/event\n`);
    await broker.reloadAcl();
    expect(await subacks(await raw('dash-board-3', 'dash'), ['hb/v1/+/event'])).toEqual([1]);
    writeFileSync(aclFile, 'user\n');
    await expect(broker.reloadAcl()).rejects.toThrow(AclParseError);
    // The rules in force stay after a failed reload.
    expect(await subacks(await raw('dash-board-4', 'dash'), ['hb/v1/+/event'])).toEqual([1]);
    writeFileSync(aclFile, ACL);
    await broker.reloadAcl();
  });
});

describe('access file problems and defaults', () => {
  let reg: TestRegistry;
  let dir: string;

  beforeAll(async () => {
    reg = await openTestRegistry();
    dir = mkdtempSync(path.join(tmpdir(), 'hb-broker-acl-'));
  });
  afterAll(() => {
    reg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start on a file that does not parse, naming the lines', async () => {
    const file = path.join(dir, 'bad.acl');
    writeFileSync(file, 'topic read ok/#\nallow read x\nuser\n');
    const broker = new HearthbeatBroker({ registry: reg.store, host: '127.0.0.1', mqttPort: 0, wsPort: null, httpPort: null, aclFile: file });
    await expect(broker.start()).rejects.toThrow(AclParseError);
    await expect(broker.start()).rejects.toThrow(/line 2: unknown keyword "allow".*line 3: "user" needs a username/);
    expect(broker.listening).toBe(false);
  });

  it('gives anonymous clients nothing without an access file, even when they may connect', async () => {
    const broker = await startBroker(reg, { allowAnonymous: true });
    try {
      const c = await RawClient.connected(broker.ports.mqtt, { clientId: 'anon-1' });
      expect(await c.subscribe(['#', 'hb/v1/+/telemetry', 'a'])).toEqual([0x80, 0x80, 0x80]);
      c.end();
      await c.closed;
    } finally {
      await broker.stop();
    }
  });
});
