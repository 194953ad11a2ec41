import { sleep, waitFor } from '@hearthbeat/testing';
import { OffsetClock } from '../src';
import { field } from './support/api.client';
import { ELEVATOR_IDLE, USERS, apiRegistry, startApiStack, type ApiStack } from './support/api.fixture';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

describe('REST API over real HTTP', () => {
  let s: ApiStack;
  beforeAll(async () => {
    s = await startApiStack();
    const alarm = await s.stack.device('SA-0001');
    const meter = await s.stack.device('WM-0001');
    // Oldest first: a medium (fault), a high (leak), a critical (alarm), so that urgency order differs from age.
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now() - 3000, seq: 1, event: 'fault' }), { qos: 1 });
    await meter.publishAsync('hb/v1/WM-0001/event', JSON.stringify({ ts: Date.now() - 2000, seq: 1, event: 'leak' }), { qos: 1 });
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now() - 1000, seq: 2, event: 'alarm' }), { qos: 1 });
    await waitFor('three alerts', () => s.stack.engine.runtime.driver.rules.alerts().length >= 3 || undefined);
  });
  afterAll(async () => s?.stop());

  it('lists alerts most urgent first as a JSON array, paged through X-Next-Cursor and Link', async () => {
    const token = await s.token('staff');
    const all = await s.api.call('GET', '/api/alerts?state=open', { token });
    expect(all.status).toBe(200);
    expect(list(all.body).map((a) => `${String(field(a, 'severity'))} ${String(field(a, 'rule'))}`)).toEqual(['critical smoke.alarm', 'high water.leak', 'medium smoke.fault']);
    for (const a of list(all.body)) {
      for (const k of ['id', 'rule', 'state', 'severity', 'subject', 'deviceId', 'openedAt', 'reason']) expect(a).toHaveProperty(k);
      expect(a).not.toHaveProperty('timeline');
    }
    const pages: string[] = [];
    let url = '/api/alerts?state=open&limit=1';
    for (let i = 0; i < 5 && url; i++) {
      const page = await s.api.call('GET', url, { token });
      pages.push(...list(page.body).map((a) => String(field(a, 'rule'))));
      const next = page.headers.get('x-next-cursor');
      const link = page.headers.get('link');
      if (next) expect(link).toMatch(new RegExp(`^</api/alerts\\?.*cursor=${next}>; rel="next"$`));
      url = next ? (link?.slice(1, link.indexOf('>')) ?? '') : '';
    }
    expect(pages).toEqual(['smoke.alarm', 'water.leak', 'smoke.fault']);
    const bad = await s.api.call('GET', '/api/alerts?cursor=not-a-cursor', { token });
    expect(bad.body).toMatchObject({ error: 'invalid_request', field: 'cursor' });
    // Maintainers see elevator alerts only; the other site sees none of these.
    expect(list((await s.api.call('GET', '/api/alerts', { token: await s.token('maintainer') })).body)).toEqual([]);
    expect(list((await s.api.call('GET', '/api/alerts', { token: await s.token('staffOther') })).body)).toEqual([]);
  });

  it('serves an alert with its timeline; refuses a person-less outcome, a double resolution and an assignee who does not look after residents', async () => {
    const token = await s.token('staff');
    const [alarm] = list((await s.api.call('GET', '/api/alerts?rule=smoke.alarm', { token })).body);
    const id = String(field(alarm, 'id'));
    const detail = await s.api.call('GET', `/api/alerts/${id}`, { token });
    expect(detail.body).toMatchObject({ id, timeline: [{ n: 0, action: 'opened', by: 'system' }] });
    expect((await s.api.call('GET', '/api/alerts/AL-999999', { token })).body).toMatchObject({ error: 'alert_not_found' });
    expect((await s.api.call('POST', `/api/alerts/${id}/resolve`, { token, body: { outcome: 'auto_cleared' } })).body).toMatchObject({ error: 'invalid_request', field: 'outcome' });
    expect((await s.api.call('POST', `/api/alerts/${id}/assign`, { token, body: { assignee: USERS.maintainer.id } })).body).toMatchObject({ error: 'invalid_request', field: 'assignee' });
    const assigned = await s.api.call('POST', `/api/alerts/${id}/assign`, { token, body: { assignee: USERS.staff2.id } });
    expect(assigned.body).toMatchObject({ state: 'acknowledged', assignee: 'wu.fang' });
    expect((await s.api.call('POST', `/api/alerts/${id}/resolve`, { token, body: { outcome: 'safe', note: 'fine' } })).status).toBe(200);
    const again = await s.api.call('POST', `/api/alerts/${id}/resolve`, { token, body: { outcome: 'safe' } });
    expect({ status: again.status, error: field(again.body, 'error') }).toEqual({ status: 409, error: 'invalid_transition' });
  });

  it('shows residents with risk colours and device health: battery, signal, rejected messages from broker and engine', async () => {
    const token = await s.token('staff');
    const alarm = await s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/telemetry', JSON.stringify({ ts: Date.now(), seq: 3, batteryPct: 15, rssi: -97 }), { qos: 1 });
    await alarm.publishAsync('hb/v1/SA-0001/telemetry', JSON.stringify({ ts: Date.now(), seq: 4, batteryPct: 150 }), { qos: 1 });
    await waitFor('battery reading', () => s.stack.engine.runtime.driver.rules.deviceState('SA-0001')?.batteryPct === 15 || undefined);
    s.stack.engine.runtime.gate.admit('hb/v1/SA-0001/event', Buffer.from('not json'), Date.now()); // as if a foreign broker let it through
    const residents = await s.api.call('GET', '/api/residents', { token });
    expect(list(residents.body).map((r) => [field(r, 'id'), field(r, 'risk')])).toEqual([
      ['R-0001', 'red'],
      ['R-0002', 'green'],
      ['R-0003', 'green'],
    ]);
    const detail = await s.api.call('GET', '/api/residents/R-0001', { token });
    const sa = list(field(detail.body, 'deviceHealth')).find((d) => field(d, 'id') === 'SA-0001');
    expect(sa).toMatchObject({ kind: 'smoke_alarm', online: true, batteryPct: 15, batteryLow: true, rssi: -97, subject: { type: 'resident', id: 'R-0001' } });
    expect(field(sa, 'rejections')).toEqual(
      expect.arrayContaining([expect.objectContaining({ source: 'broker', reason: 'out_of_range', count: 1 }), expect.objectContaining({ source: 'engine', reason: 'not_json', count: 1 })]),
    );
    const low = await s.api.call('GET', '/api/devices?lowBattery=true', { token });
    expect(list(low.body).map((d) => field(d, 'id'))).toEqual(['SA-0001']);
    const all = await s.api.call('GET', '/api/devices', { token });
    expect(list(all.body).map((d) => field(d, 'id'))).toEqual(['SA-0001', 'WM-0001', 'WM-0002', 'WM-0003']);
  });

  it('adds and ends away periods', async () => {
    const token = await s.token('staff');
    const from = Date.now() + 3600_000;
    const added = await s.api.call('POST', '/api/residents/R-0002/away', { token, body: { from, to: from + 86_400_000, note: 'with daughter' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ from, source: 'api', by: 'li.bin', note: 'with daughter' });
    const awayId = String(field(added.body, 'id'));
    expect(list((await s.api.call('GET', '/api/residents/R-0002/away', { token })).body)).toHaveLength(1);
    const ended = await s.api.call('POST', `/api/residents/R-0002/away/${encodeURIComponent(awayId)}/end`, { token });
    expect(ended.body).toMatchObject({ id: awayId, change: 'removed' });
    expect((await s.api.call('POST', `/api/residents/R-0002/away/${encodeURIComponent(awayId)}/end`, { token })).status).toBe(404);
    const past = await s.api.call('POST', '/api/residents/R-0002/away', { token, body: { from: 1, to: 2 } });
    expect(past.body).toMatchObject({ error: 'invalid_away_period' });
  });

  it('rule overrides are validated, stored in the registry and applied to the running rules at once', async () => {
    const admin = await s.token('admin');
    const before = await s.api.call('GET', '/api/elevators/EL-0001/rules', { token: await s.token('maintainer') });
    expect(field(field(before.body, 'effective'), 'elevator.entrapment')).toMatchObject({ afterS: 20 });
    const put = await s.api.call('PUT', '/api/elevators/EL-0001/rules', { token: admin, body: { 'elevator.entrapment': { afterS: 1 } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ overrides: { 'elevator.entrapment': { afterS: 1 } }, effective: { 'elevator.entrapment': { afterS: 1, outsideDoorZoneAfterS: 20 } } });
    expect(s.stack.registry.getElevator('EL-0001')?.rules).toEqual({ 'elevator.entrapment': { afterS: 1 } });
    // Live: a trapped car now raises entrapment after 1 s instead of 20 s.
    const lift = await s.stack.device('EL-0001');
    await lift.publishAsync('hb/v1/EL-0001/telemetry', JSON.stringify({ ts: Date.now(), seq: 1, ...ELEVATOR_IDLE, door: 'closed', occupied: true }), { qos: 1 });
    await waitFor('entrapment after 1 s', () => s.stack.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'elevator.entrapment'), 5000);
    // Supervisors may edit a site's resident rules but not its elevator rules.
    const sup = await s.token('supervisor');
    const ok = await s.api.call('PUT', '/api/sites/jiangsu-road/rules', { token: sup, body: { 'water.no_activity': { windowS: 86400 } } });
    expect(ok.status).toBe(200);
    const refused = await s.api.call('PUT', '/api/sites/jiangsu-road/rules', { token: sup, body: { 'elevator.entrapment': { afterS: 5 } } });
    expect(refused.body).toMatchObject({ error: 'forbidden', field: 'elevator.entrapment' });
    expect(field(field((await s.api.call('GET', '/api/residents/R-0001/rules', { token: sup })).body, 'effective'), 'water.no_activity')).toMatchObject({ windowS: 86400, minLiters: 10 });
  });

  it('imports a registry file (every problem listed by path) and exports it without secrets', async () => {
    const admin = await s.token('admin');
    const bad = await s.api.call('POST', '/api/admin/registry', { token: admin, body: { residents: [{ id: 'R-0200', site: 'nowhere', devices: ['X-1'] }], devices: [{ id: 'bad id', kind: 'toaster' }] } });
    expect(bad.status).toBe(400);
    expect(field(bad.body, 'problems')).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'devices[0].id' }), expect.objectContaining({ path: 'devices[0].kind' })]));
    const file = {
      sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
      residents: [{ id: 'R-0200', site: 'jiangsu-road', name: 'Qian', devices: ['SA-0200'] }],
      devices: [{ id: 'SA-0200', kind: 'smoke_alarm', secret: 'secret-SA-0200' }],
    };
    const ok = await s.api.call('POST', '/api/admin/registry', { token: admin, body: file });
    expect(ok.body).toMatchObject({ residents: 1, devices: 1 });
    // The running rules know the new resident at once.
    const dev = await s.stack.device('SA-0200', 'secret-SA-0200');
    await dev.publishAsync('hb/v1/SA-0200/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    await waitFor('alarm of the imported resident', () => s.stack.engine.runtime.driver.rules.alerts().find((a) => a.subject.id === 'R-0200'));
    const exported = await s.api.call('GET', '/api/admin/registry', { token: admin });
    const text = JSON.stringify(exported.body);
    expect(text).toContain('R-0200');
    expect(text).not.toMatch(/secret-|password|"secret"|scrypt/);
  });

  it('answers malformed JSON and oversized bodies in the error format', async () => {
    const token = await s.token('staff');
    const bad = await s.api.call('POST', '/api/alerts/AL-000001/comment', { token, rawBody: '{"text": "x"' });
    expect({ status: bad.status, error: field(bad.body, 'error') }).toEqual({ status: 400, error: 'invalid_json' });
    const big = await s.api.call('POST', '/api/alerts/AL-000001/comment', { token, body: { text: 'x'.repeat(100_000) } });
    expect({ status: big.status, error: field(big.body, 'error') }).toEqual({ status: 413, error: 'payload_too_large' });
    const unknown = await s.api.call('GET', '/api/nothing-here', { token });
    expect({ status: unknown.status, error: field(unknown.body, 'error') }).toEqual({ status: 404, error: 'not_found' });
    const resident = await s.api.call('GET', '/api/residents/R-9999', { token });
    expect({ status: resident.status, error: field(resident.body, 'error') }).toEqual({ status: 404, error: 'resident_not_found' });
  });

  it('serves the OpenAPI document with every route, and Swagger UI', async () => {
    const doc = await s.api.call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys((field(doc.body, 'paths') as Record<string, unknown>) ?? {});
    for (const p of ['/api/auth/login', '/api/alerts', '/api/alerts/{id}/resolve', '/api/residents/{id}/away/{awayId}/end', '/api/sites/{id}/webhooks/{wid}/deliveries', '/api/admin/registry']) expect(paths).toContain(p);
    const resolve = field(field(field(doc.body, 'paths'), '/api/alerts/{id}/resolve'), 'post');
    expect(JSON.stringify(field(resolve, 'requestBody'))).toContain('hospitalised');
    expect(field(resolve, 'security')).toEqual([{ bearer: [] }]);
    const ui = await fetch(`${s.api.base}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('changing a password ends the other sessions; failed logins are slowed (429 with Retry-After)', async () => {
    const t1 = await s.api.login(USERS.service.id, USERS.service.password);
    const t2 = await s.api.login(USERS.service.id, USERS.service.password);
    const wrong = await s.api.call('POST', '/api/auth/password', { token: t1, body: { current: 'not-it', new: 'brand-new-password' } });
    expect(wrong.body).toMatchObject({ error: 'forbidden', field: 'current' });
    expect((await s.api.call('POST', '/api/auth/password', { token: t1, body: { current: USERS.service.password, new: 'brand-new-password' } })).status).toBe(204);
    expect((await s.api.call('GET', '/api/auth/me', { token: t1 })).status).toBe(200);
    expect((await s.api.call('GET', '/api/auth/me', { token: t2 })).status).toBe(401);
    await s.api.login(USERS.service.id, 'brand-new-password');

    const attempt = () => s.api.call('POST', '/api/auth/login', { body: { username: USERS.supervisor.id, password: 'guess' } });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Even the right password waits out the block.
    const right = await s.api.call('POST', '/api/auth/login', { body: { username: USERS.supervisor.id, password: USERS.supervisor.password } });
    expect(right.status).toBe(429);
    await sleep(1100);
    expect((await s.api.call('POST', '/api/auth/login', { body: { username: USERS.supervisor.id, password: USERS.supervisor.password } })).status).toBe(200);
    const metrics = String((await s.api.call('GET', '/metrics')).body);
    expect(metrics).toMatch(/hb_engine_login_failures_total\{reason="throttled"\} [1-9]/);
    expect(metrics).toMatch(/hb_engine_http_requests_total\{method="GET",route="\/api\/alerts",status="200"\} [1-9]/);
    expect(metrics).toMatch(/^hb_engine_ws_clients 0$/m);
  });
});

describe('REST API with a moving clock', () => {
  it('serves a resolved alert the rules no longer keep in memory from the store; tokens expire', async () => {
    const clock = new OffsetClock();
    // Only the resident with the detector: three days of the other devices' deadlines are not this test's business.
    const full = apiRegistry();
    const file = { ...full, residents: full.residents.filter((r) => r.id === 'R-0001'), elevators: [], devices: full.devices.filter((d) => ['WM-0001', 'SA-0001'].includes(d.id)) };
    const s = await startApiStack({ clock, file });
    try {
      const token = await s.token('staff');
      const alarm = await s.stack.device('SA-0001');
      await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
      const id = (await waitFor('alarm', () => s.stack.engine.runtime.driver.rules.alerts()[0])).id;
      // Cleared first: a detector that goes silent during an alarm is treated as a fire (and would remind every 2 min).
      await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 2, event: 'alarm_cleared' }), { qos: 1 });
      await waitFor('cleared', () => s.stack.engine.runtime.driver.rules.deviceState('SA-0001')?.smoke?.alarmSince === undefined || undefined);
      await s.api.call('POST', `/api/alerts/${id}/resolve`, { token, body: { outcome: 'safe', note: 'checked' } });
      clock.skip(3 * 24 * 3600_000);
      s.stack.engine.runtime.driver.tick();
      expect(s.stack.engine.runtime.driver.rules.getAlert(id)).toBeUndefined();
      expect((await s.api.call('GET', '/api/auth/me', { token })).status).toBe(401); // 12 h tokens
      s.forget('staff');
      const fresh = await s.token('staff');
      const detail = await s.api.call('GET', `/api/alerts/${id}`, { token: fresh });
      expect(detail.body).toMatchObject({ id, state: 'resolved', outcome: 'safe' });
      const resolved = await s.api.call('GET', '/api/alerts?state=resolved', { token: fresh });
      expect(list(resolved.body).map((a) => field(a, 'id'))).toContain(id);
    } finally {
      await s.stop();
    }
  });
});
