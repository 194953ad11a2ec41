import { sleep } from '@hearthbeat/testing';
import { OffsetClock } from '../src';
import { LiveClient, field, type Pushed } from './support/api.client';
import { ELEVATOR_IDLE, startApiStack, type ApiStack } from './support/api.fixture';

const isAlert = (rule: string, change: string) => (m: Pushed) => (m['type'] === 'alert' && m['change'] === change && field(m['alert'], 'rule') === rule ? m : undefined);

/**
 * Real MQTT devices, real HTTP (fetch) and WebSocket (ws) clients against the running engine and
 * the project's broker: what staff see on their screens.
 */
describe('live push over /ws', () => {
  let s: ApiStack;
  const clients: LiveClient[] = [];
  const connect = async (query: string, opts?: { waitSynced?: boolean }) => {
    const c = await LiveClient.connect(s.port, query, opts);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    s = await startApiStack();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s?.stop();
  });

  it('an MQTT alarm reaches the staff of its site, and neither the staff of another site nor a maintainer', async () => {
    const staff = await connect(`token=${await s.token('staff')}`);
    const other = await connect(`token=${await s.token('staffOther')}`);
    const maintainer = await connect(`token=${await s.token('maintainer')}`);
    const supervisor = await connect(`token=${await s.token('supervisor')}`);
    expect(staff.messages[0]).toMatchObject({ type: 'hello', user: { id: 'li.bin', role: 'staff' } });

    const alarm = await s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const opened = await staff.next(isAlert('smoke.alarm', 'opened'), 'smoke.alarm opened on the staff screen');
    expect(opened).toMatchObject({ type: 'alert', change: 'opened', alert: { subject: { type: 'resident', id: 'R-0001' }, severity: 'critical', state: 'open', deviceId: 'SA-0001' } });
    expect(typeof opened['seq']).toBe('number');
    await supervisor.next(isAlert('smoke.alarm', 'opened'), 'smoke.alarm opened on the supervisor screen');
    await staff.next((m) => (m['type'] === 'risk' && m['colour'] === 'red' ? m : undefined), 'risk colour red');

    // The same alarm from a detector of the other site reaches that site's staff only.
    const foreign = await s.stack.device('SA-0101');
    await foreign.publishAsync('hb/v1/SA-0101/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    await other.next(isAlert('smoke.alarm', 'opened'), 'the other site\'s alarm on its staff screen');
    await sleep(300);
    expect(other.alerts().map((m) => field(m['alert'], 'subject'))).toEqual([{ type: 'resident', id: 'R-0101' }]);
    expect(staff.alerts().every((m) => field(m['alert'], 'site') === 'jiangsu-road')).toBe(true);
    expect(maintainer.alerts()).toEqual([]);
    expect(maintainer.messages.filter((m) => m['type'] === 'risk')).toEqual([]);
  });

  it('an acknowledgement made through REST in one session is pushed to every other screen', async () => {
    const t1 = await s.token('staff');
    const t2 = await s.api.login('li.bin', 'staff-password'); // the same person on a second screen
    const second = await connect(`token=${t2}`);
    const colleague = await connect(`token=${await s.token('staff2')}`);
    const alert = (await s.api.call('GET', '/api/alerts?state=open&rule=smoke.alarm', { token: t1 })).body;
    const id = field(Array.isArray(alert) ? alert[0] : undefined, 'id');
    expect(typeof id).toBe('string');

    const ack = await s.api.call('POST', `/api/alerts/${String(id)}/ack`, { token: t1 });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id, state: 'acknowledged', acknowledgedBy: 'li.bin' });
    for (const c of [second, colleague]) {
      const pushed = await c.next(isAlert('smoke.alarm', 'acknowledged'), 'the acknowledgement on another screen');
      expect(pushed).toMatchObject({ alert: { id, state: 'acknowledged', acknowledgedBy: 'li.bin' }, entry: { action: 'acknowledged', by: 'li.bin' } });
    }
  });

  it('a client that drops and reconnects with since receives exactly the changes it missed, then live ones', async () => {
    const token = await s.token('staff');
    const watcher = await connect(`token=${token}`); // stays connected: the reference
    const flaky = await connect(`token=${token}`);
    const alarm = await s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 2, event: 'test' }), { qos: 1 });
    await sleep(200);
    const since = flaky.lastSeq();
    await flaky.close();

    // Missed while away: a comment, a resolution and a new alert (leak on the meter).
    const list = (await s.api.call('GET', '/api/alerts?state=acknowledged&rule=smoke.alarm', { token })).body;
    const id = String(field(Array.isArray(list) ? list[0] : undefined, 'id'));
    expect((await s.api.call('POST', `/api/alerts/${id}/comment`, { token, body: { text: 'on my way' } })).status).toBe(200);
    expect((await s.api.call('POST', `/api/alerts/${id}/resolve`, { token, body: { outcome: 'false_alarm', note: 'toast' } })).status).toBe(200);
    const meter = await s.stack.device('WM-0001');
    await meter.publishAsync('hb/v1/WM-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'leak' }), { qos: 1 });
    await watcher.next(isAlert('water.leak', 'opened'), 'the leak on the reference screen');
    const missed = watcher.seqs().filter((q) => q > since);
    expect(missed.length).toBeGreaterThanOrEqual(3);

    const back = await connect(`token=${token}&since=${since}`);
    expect(back.seqs()).toEqual(missed);
    expect(back.alerts().map((m) => m['change'])).toEqual(expect.arrayContaining(['commented', 'resolved', 'opened']));
    const synced = back.messages.find((m) => m['type'] === 'synced');
    expect(synced?.['seq']).toBeGreaterThanOrEqual(Math.max(...missed));

    // Then live, with no duplicate: one more change arrives once.
    await meter.publishAsync('hb/v1/WM-0001/event', JSON.stringify({ ts: Date.now() + 1, seq: 2, event: 'leak' }), { qos: 1 });
    await back.next(isAlert('water.leak', 'updated'), 'a live update after the replay');
    await sleep(200);
    const seqs = back.seqs();
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // The same through a resume message on an open socket.
    const resumed = await connect(`token=${token}`);
    resumed.send({ type: 'resume', since });
    await resumed.next((m) => (m['type'] === 'synced' && resumed.messages.filter((x) => x['type'] === 'synced').length === 2 ? m : undefined), 'second synced');
    expect(resumed.seqs().filter((q) => q <= Math.max(...seqs))).toEqual(seqs);
  });

  it('pushes live elevator state to maintainers of its site only', async () => {
    const maintainer = await connect(`token=${await s.token('maintainer')}`);
    const staff = await connect(`token=${await s.token('staff')}`);
    const lift = await s.stack.device('EL-0001');
    await lift.publishAsync('hb/v1/EL-0001/telemetry', JSON.stringify({ ts: Date.now(), seq: 1, ...ELEVATOR_IDLE, floor: 7 }), { qos: 1 });
    const state = await maintainer.next((m) => (m['type'] === 'elevator' && m['floor'] === 7 ? m : undefined), 'elevator state');
    expect(state).toMatchObject({ elevatorId: 'EL-0001', site: 'jiangsu-road', door: 'open', mode: 'normal', online: true });
    await sleep(200);
    expect(staff.messages.filter((m) => m['type'] === 'elevator')).toEqual([]);
    // A reconnecting maintainer gets the current state after the sync.
    const again = await connect(`token=${await s.token('maintainer')}`);
    await again.next((m) => (m['type'] === 'elevator' && m['floor'] === 7 ? m : undefined), 'elevator snapshot on connect');
  });

  it('closes with 4401 for a missing, bad or revoked token', async () => {
    const none = await connect('since=0', { waitSynced: false });
    expect(await none.closed).toBe(4401);
    const bad = await connect('token=hb_not-a-token', { waitSynced: false });
    expect(await bad.closed).toBe(4401);
    const token = await s.api.login('li.bin', 'staff-password');
    const live = await connect(`token=${token}`);
    expect((await s.api.call('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect(await live.closed).toBe(4401);
    expect((await s.api.call('GET', '/api/auth/me', { token })).status).toBe(401);
  });
});

describe('escalations over /ws', () => {
  it('an unacknowledged elevator alert escalated to supervisors reaches the supervisors of its site, who may then act on it', async () => {
    const clock = new OffsetClock();
    const s = await startApiStack({ clock });
    const clients: LiveClient[] = [];
    try {
      const connect = async (user: Parameters<ApiStack['token']>[0]) => {
        const c = await LiveClient.connect(s.port, `token=${await s.token(user)}`);
        clients.push(c);
        return c;
      };
      const supervisor = await connect('supervisor');
      const staff = await connect('staff');
      const maintainer = await connect('maintainer');
      const lift = await s.stack.device('EL-0001');
      await lift.publishAsync('hb/v1/EL-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'safety_circuit' }), { qos: 1 });
      const opened = await maintainer.next(isAlert('elevator.safety_circuit', 'opened'), 'safety circuit on the maintainer screen');
      await sleep(200);
      expect(supervisor.alerts()).toEqual([]);

      // High severity: escalated to the supervisor tier after 15 min without acknowledgement (docs/rules.md).
      clock.skip(16 * 60_000);
      s.stack.engine.runtime.driver.tick();
      const escalated = await supervisor.next(isAlert('elevator.safety_circuit', 'escalated'), 'the escalation on the supervisor screen');
      expect(escalated).toMatchObject({ target: 'supervisor', alert: { id: field(opened['alert'], 'id'), escalationLevel: 1 } });
      await maintainer.next(isAlert('elevator.safety_circuit', 'escalated'), 'the escalation on the maintainer screen');
      await sleep(200);
      expect(staff.alerts().filter((m) => field(m['alert'], 'rule') === 'elevator.safety_circuit')).toEqual([]);
      const id = String(field(opened['alert'], 'id'));
      const ack = await s.api.call('POST', `/api/alerts/${id}/ack`, { token: await s.token('supervisor') });
      expect(ack.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'chen.sup' });
      await maintainer.next(isAlert('elevator.safety_circuit', 'acknowledged'), 'the supervisor\'s acknowledgement on the maintainer screen');

      // A supervisor screen opened afterwards replays the stored events (which keep alerts without their
      // timeline, and the roles escalated to): the escalation and what followed it, not the opening,
      // which was not theirs to see then; and never a timeline.
      const late = await LiveClient.connect(s.port, `token=${await s.token('supervisor')}&since=0`);
      clients.push(late);
      await late.next(isAlert('elevator.safety_circuit', 'acknowledged'), 'the acknowledgement replayed to a supervisor');
      const replayed = late.alerts().filter((m) => field(m['alert'], 'id') === id);
      expect(replayed.map((m) => m['change'])).toEqual(['escalated', 'acknowledged']);
      for (const m of replayed) {
        expect(m['alert']).not.toHaveProperty('timeline');
        expect(m).not.toHaveProperty('escalatedTo');
      }
      const lateStaff = await LiveClient.connect(s.port, `token=${await s.token('staff')}&since=0`);
      clients.push(lateStaff);
      expect(lateStaff.alerts().filter((m) => field(m['alert'], 'id') === id)).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await s.stop();
    }
  });
});

describe('heartbeats over /ws', () => {
  it('sends heartbeat frames with the stream position, and drops a client that stops answering pings', async () => {
    const s = await startApiStack({ env: { HB_WS_PING_S: '1' } });
    try {
      const token = await s.token('staff');
      const healthy = await LiveClient.connect(s.port, `token=${token}`);
      const dead = await LiveClient.connect(s.port, `token=${token}`);
      // A client whose network died: it no longer answers the server's pings.
      dead.ws.pong = () => undefined;
      const beat = await healthy.next((m) => (m['type'] === 'heartbeat' ? m : undefined), 'a heartbeat frame', 3000);
      expect(typeof beat['seq']).toBe('number');
      expect(await dead.closed).toBe(1006); // terminated by the server
      expect(healthy.closeCode).toBeUndefined();
      const metrics = String((await s.api.call('GET', '/metrics')).body);
      expect(metrics).toMatch(/^hb_engine_ws_clients 1$/m);
      await healthy.close();
    } finally {
      await s.stop();
    }
  });
});
