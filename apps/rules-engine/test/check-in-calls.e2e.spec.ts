import { createHmac } from 'node:crypto';
import type { Alert } from '@hearthbeat/contracts';
import { HttpReceiver, RoutineMeter, shanghaiMidnightDaysAgo, sleep, waitFor, type ReceivedRequest } from '@hearthbeat/testing';
import { OffsetClock } from '../src';
import { field } from './support/api.client';
import { apiRegistry, startApiStack, type ApiStack } from './support/api.fixture';

const SECRET = 'the-voice-gateway-shared-secret';
const sign = (raw: string | Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** The voice gateway: a real HTTP server on port 0 that verifies our signature and records call requests. */
class Gateway extends HttpReceiver {
  mode: 'ok' | 'fail' = 'ok';
  failures = 0;

  get requests(): ReceivedRequest[] {
    return this.received;
  }

  protected override answer(r: ReceivedRequest): number {
    if (r.headers['x-hearthbeat-signature'] !== sign(r.raw)) return 401;
    if (this.mode === 'fail') {
      this.failures++;
      return 503;
    }
    return 202;
  }

  request(callId: string): Promise<ReceivedRequest> {
    return waitFor(`call request ${callId}`, () => this.requests.find((r) => r.body['callId'] === callId), 10_000);
  }
}

describe('check-in calls through a real voice gateway: signed requests, signed results, timeouts, restarts', () => {
  const clock = new OffsetClock();
  const gateway = new Gateway();
  let s: ApiStack;
  let seq = 1;

  beforeAll(async () => {
    await gateway.listen();
    const file = apiRegistry();
    const r1 = file.residents[0];
    if (!r1) throw new Error('no resident');
    Object.assign(r1, { phone: '+86 21 5555 0001', contacts: [{ name: 'Wang Jr.', phone: '+86 139 0000 0001', relation: 'son' }] });
    s = await startApiStack({ clock, file, env: { HB_WEBHOOK_RETRY_BASE_MS: '100', HB_WEBHOOK_RETRY_MAX_S: '1', HB_WEBHOOK_TIMEOUT_S: '2' } });
    const put = await s.api.call('PUT', '/api/sites/jiangsu-road/check-in-call', {
      token: await s.token('admin'),
      body: { enabled: true, timeoutS: 120, rules: ['smoke.alarm'], family: { enabled: true, timeoutS: 600 }, gatewayUrl: `http://127.0.0.1:${gateway.port}/calls`, secret: SECRET },
    });
    expect(put.status).toBe(200);
    expect(put.body).not.toHaveProperty('secret');
    expect(put.body).toMatchObject({ configured: true, policy: { enabled: true, timeoutS: 120, effectiveRules: ['smoke.alarm'] } });
  });
  afterAll(async () => {
    await gateway.close();
    await s?.stop();
  });

  const rules = () => s.stack.engine.runtime.driver.rules;
  // One connection for the whole test: a second one with the same client id would drop the first, and a
  // detector dropping off during an alarm counts as the fire going on (its Last Will re-triggers the alert).
  let detector: Awaited<ReturnType<ApiStack['stack']['device']>> | undefined;
  /** A fire alarm at R-0001 (from the detector, over MQTT); resolves with the alert once its call is placed. */
  const alarm = async (): Promise<{ alertId: string; callId: string }> => {
    const device = (detector ??= await s.stack.device('SA-0001'));
    await device.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: clock.now(), seq: seq++, event: 'alarm' }), { qos: 1 });
    const a = await waitFor('an alarm with a call placed', () => rules().alerts({ state: 'open' }).find((x) => x.rule === 'smoke.alarm' && x.calls?.length));
    return { alertId: a.id, callId: a.calls?.[0]?.id ?? '' };
  };
  const callback = (callId: string, result: string, opts: { secret?: string; signature?: string | null; timestamp?: number } = {}) => {
    const raw = JSON.stringify({ callId, result, timestamp: opts.timestamp ?? clock.now() });
    const signature = opts.signature === undefined ? sign(raw, opts.secret) : opts.signature;
    return s.api.call('POST', `/api/calls/${callId}/result`, { rawBody: raw, ...(signature !== null ? { headers: { 'x-hearthbeat-signature': signature } } : {}) });
  };
  const alert = (id: string): Alert => {
    const a = rules().getAlert(id);
    if (!a) throw new Error(`no alert ${id}`);
    return a;
  };
  const steps = (id: string) => alert(id).timeline.filter((e) => e.action !== 'reminder').map((e) => `${e.by}:${e.action}${e.details?.['target'] ? `>${String(e.details['target'])}` : ''}`);
  const resolveByStaff = async (id: string) => {
    const res = await s.api.call('POST', `/api/alerts/${id}/resolve`, { token: await s.token('staff'), body: { outcome: 'safe', note: 'visited' } });
    expect(res.status).toBe(200);
  };

  it('sends a signed call request; answered_well resolves the alert as safe, by call; a retried callback is a no-op', async () => {
    const { alertId, callId } = await alarm();
    const req = await gateway.request(callId);
    expect(req.headers['x-hearthbeat-signature']).toBe(sign(req.raw));
    expect(req.headers['x-hearthbeat-delivery']).toBe(callId);
    expect(req.headers['x-hearthbeat-event']).toBe('call.request');
    expect(req.body).toMatchObject({
      callId,
      alertId,
      site: 'jiangsu-road',
      step: 'resident',
      rule: 'smoke.alarm',
      resident: { id: 'R-0001', name: 'Wang' },
      to: [{ name: 'Wang', phone: '+86 21 5555 0001' }],
      callbackUrl: `http://127.0.0.1:${s.port}/api/calls/${callId}/result`,
    });
    const res = await callback(callId, 'answered_well');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ callId, status: 'applied', alert: { id: alertId, state: 'resolved', outcome: 'safe', resolvedBy: 'call' } });
    expect(steps(alertId)).toEqual(['system:opened', 'system:call_placed', 'call:call_result', 'call:resolved']);
    expect(alert(alertId).timeline[2]?.details).toMatchObject({ callId, result: 'answered_well', step: 'resident' });
    const again = await callback(callId, 'answered_well');
    expect(again.status).toBe(200);
    expect(field(again.body, 'status')).toBe('duplicate');
    expect((await callback(callId, 'needs_help')).status).toBe(409);
    expect(steps(alertId)).toHaveLength(4);
    // Described for gateway developers, without a bearer token.
    const doc = await s.api.call('GET', '/api/openapi.json');
    const route = field(field(field(doc.body, 'paths'), '/api/calls/{callId}/result'), 'post');
    expect(JSON.stringify(field(route, 'requestBody'))).toContain('answered_well');
    expect(field(route, 'security')).toBeUndefined();
  });

  it('lists no check calls for a resident whose alerts were called: those are the alerts\' calls, and the step is not on for the routine', async () => {
    const res = await s.api.call('GET', '/api/residents/R-0001/check-calls', { token: await s.token('supervisor') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ resident: 'R-0001', checkIn: { ringsFirst: false, because: 'site_step_off' }, calls: [] });
    // Described in the OpenAPI document with its query.
    const doc = await s.api.call('GET', '/api/openapi.json');
    const route = field(field(field(doc.body, 'paths'), '/api/residents/{id}/check-calls'), 'get');
    expect(JSON.stringify(field(route, 'parameters'))).toContain('"limit"');
    expect(field(route, 'security')).toEqual([{ bearer: [] }]);
  });

  it('refuses a bad, missing or replayed signature with 401; needs_help then escalates to staff at once and rings the family', async () => {
    const { alertId, callId } = await alarm();
    await gateway.request(callId);
    for (const [what, res] of [
      ['wrong secret', await callback(callId, 'answered_well', { secret: 'not-the-gateway-secret' })],
      ['no signature', await callback(callId, 'answered_well', { signature: null })],
      ['malformed', await callback(callId, 'answered_well', { signature: 'sha256=xyz' })],
      ['stale timestamp', await callback(callId, 'answered_well', { timestamp: clock.now() - 10 * 60_000 })],
      ['unknown call', await callback(`${alertId}-C9`, 'answered_well')],
    ] as const) {
      expect({ what, status: res.status, error: field(res.body, 'error') }).toEqual({ what, status: 401, error: 'unauthenticated' });
    }
    expect(alert(alertId).state).toBe('open');
    const res = await callback(callId, 'needs_help');
    expect(res.status).toBe(200);
    expect(steps(alertId)).toEqual(['system:opened', 'system:call_placed', 'call:call_result', 'system:escalated>staff', 'system:call_placed']);
    expect(alert(alertId)).toMatchObject({ state: 'open', calls: [{ result: 'needs_help' }, { step: 'family' }] });
    const family = await gateway.request(`${alertId}-C2`);
    expect(family.body).toMatchObject({ step: 'family', to: [{ name: 'Wang Jr.', phone: '+86 139 0000 0001', relation: 'son' }] });
    await resolveByStaff(alertId);
  });

  it.each(['no_answer', 'failed'])('%s escalates to staff at once', async (result) => {
    const { alertId, callId } = await alarm();
    await gateway.request(callId);
    expect((await callback(callId, result)).status).toBe(200);
    expect(steps(alertId).slice(0, 4)).toEqual(['system:opened', 'system:call_placed', 'call:call_result', 'system:escalated>staff']);
    expect(alert(alertId).escalationFrom).toBeDefined();
    await resolveByStaff(alertId);
  });

  it('no callback within timeoutS counts as no answer', async () => {
    const { alertId, callId } = await alarm();
    await gateway.request(callId);
    clock.skip(121_000);
    s.stack.engine.runtime.driver.tick();
    expect(steps(alertId).slice(0, 4)).toEqual(['system:opened', 'system:call_placed', 'system:call_result', 'system:escalated>staff']);
    expect(alert(alertId).timeline[2]?.details).toMatchObject({ callId, result: 'no_answer', timedOut: true });
    // The gateway's answer after the timeout is recorded, not acted on.
    const late = await callback(callId, 'answered_well');
    expect(field(late.body, 'status')).toBe('late');
    expect(alert(alertId).state).toBe('open');
    await resolveByStaff(alertId);
  });

  it('across an engine restart: a request queued while the gateway was down is delivered, and its callback lands', async () => {
    gateway.mode = 'fail';
    const failuresBefore = gateway.failures;
    const { alertId, callId } = await alarm();
    await waitFor('a refused request', () => gateway.failures > failuresBefore || undefined);
    await s.stack.stopEngine();
    await s.stack.startEngine(); // same data directory, new HTTP port
    gateway.mode = 'ok';
    const req = await gateway.request(callId);
    expect(req.body['callbackUrl']).toBe(`http://127.0.0.1:${s.port}/api/calls/${callId}/result`);
    const res = await callback(callId, 'answered_well');
    expect(res.status).toBe(200);
    expect(alert(alertId)).toMatchObject({ state: 'resolved', outcome: 'safe', resolvedBy: 'call' });
    expect(steps(alertId).filter((x) => x === 'system:call_placed')).toHaveLength(1);
  });

  it('across an engine restart: the pending call\'s timeout fires once', async () => {
    gateway.mode = 'fail';
    const { alertId, callId } = await alarm();
    await s.stack.stopEngine();
    clock.skip(200_000); // the timeout passes while the engine is down
    await s.stack.startEngine();
    await waitFor('the timeout after the restart', () => alert(alertId).calls?.[0]?.result);
    await sleep(500);
    const tl = alert(alertId).timeline;
    expect(tl.filter((e) => e.action === 'call_result' && e.details?.['callId'] === callId)).toHaveLength(1);
    expect(tl.filter((e) => e.action === 'escalated' && e.details?.['target'] === 'staff')).toHaveLength(1);
    expect(alert(alertId).calls?.[0]).toMatchObject({ result: 'no_answer', resultBy: 'system' });
    // The undelivered request is closed unsent: the rules no longer wait for it.
    const admin = await s.token('admin');
    await waitFor('the request closed as expired', async () => {
      const recent = field((await s.api.call('GET', '/api/sites/jiangsu-road/check-in-call', { token: admin })).body, 'recent');
      const mine = Array.isArray(recent) ? recent.find((r) => field(r, 'callId') === callId) : undefined;
      return field(mine, 'status') === 'expired' || undefined;
    });
    gateway.mode = 'ok';
    await resolveByStaff(alertId);
  });
});

describe('routine check-in calls: the engine rings the resident before raising water.routine_deviation', () => {
  // A plain day (up at 07:00, lunch at 12:00, the next use at 14:00) from a Shanghai local midnight a week
  // ago (day 0 of the learned routine); the engine starts on day 5 at 14:00:02.
  const routine = new RoutineMeter(shanghaiMidnightDaysAgo(7));
  const { at, readings } = routine;
  const clock = new OffsetClock();
  const gateway = new Gateway();
  let s: ApiStack;
  let seq = 1;
  let meter: Awaited<ReturnType<ApiStack['stack']['device']>> | undefined;
  async function publish(list: { ts: number; totalL: number }[]): Promise<void> {
    const device = (meter ??= await s.stack.device('WM-0001'));
    for (let i = 0; i < list.length; i += 150) {
      const batch = list.slice(i, i + 150);
      await device.publishAsync('hb/v1/WM-0001/telemetry', JSON.stringify({ ts: batch[batch.length - 1]?.ts, seq: seq++, readings: batch }), { qos: 1 });
    }
  }
  const callback = (callId: string, result: string) => {
    const raw = JSON.stringify({ callId, result, timestamp: clock.now() });
    return s.api.call('POST', `/api/calls/${callId}/result`, { rawBody: raw, headers: { 'x-hearthbeat-signature': sign(raw) } });
  };
  const routineAlerts = () => s.stack.engine.runtime.driver.rules.alerts().filter((a) => a.rule === 'water.routine_deviation');

  beforeAll(async () => {
    await gateway.listen();
    clock.skip(at(5, '14:00') + 2000 - Date.now());
    const file = apiRegistry();
    const r1 = file.residents[0];
    if (!r1) throw new Error('no resident');
    // A short warm-up (5 learned days) and round margins, as in the rules core's tests; the fixed
    // no-activity rule out of the way.
    const routine = { warmupDays: 5, minDaysPerType: 3, lateMarginMinutes: 60, quietMarginMinutes: 45, clockQuietMarginMinutes: 45, clockQuietWindowMinutes: 60, bedMarginMinutes: 30, callFactor: 0.9, callAttempts: 1 };
    Object.assign(r1, { phone: '+86 21 5555 0001', rules: { 'water.routine_deviation': routine, 'water.no_activity': { enabled: false } } });
    s = await startApiStack({ clock, file, env: { HB_WEBHOOK_RETRY_BASE_MS: '100', HB_WEBHOOK_RETRY_MAX_S: '1', HB_WEBHOOK_TIMEOUT_S: '2' } });
    const put = await s.api.call('PUT', '/api/sites/jiangsu-road/check-in-call', {
      token: await s.token('admin'),
      body: { enabled: true, timeoutS: 120, rules: ['water.routine_deviation'], gatewayUrl: `http://127.0.0.1:${gateway.port}/calls`, secret: SECRET },
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await gateway.close();
    await s?.stop();
  });

  it('a quiet spell past 0.9 x the usual wait sends a check request; answered well raises nothing; the next one unanswered raises the alert without ringing again', async () => {
    // Five learned days (0-4), then day 5: nothing after the 12:00 use (the 14:00 reading shows none).
    // From day -1: the first (partial) day, and the day the meter first came online, teach nothing.
    await publish(readings(at(-1, '00:00'), at(5, '14:15'), at(5, '12:15')));
    const first = await gateway.request('RC-R-0001-1');
    expect(first.headers['x-hearthbeat-event']).toBe('call.request');
    expect(first.headers['x-hearthbeat-signature']).toBe(sign(first.raw));
    expect(first.body).toMatchObject({
      callId: 'RC-R-0001-1',
      purpose: 'check',
      site: 'jiangsu-road',
      step: 'resident',
      rule: 'water.routine_deviation',
      resident: { id: 'R-0001', name: 'Wang' },
      to: [{ name: 'Wang', phone: '+86 21 5555 0001' }],
      callbackUrl: `http://127.0.0.1:${s.port}/api/calls/RC-R-0001-1/result`,
    });
    expect(first.body).not.toHaveProperty('alertId');
    expect(String(first.body['reason'])).toMatch(/^no water used since 12:00 \(2\.0 h\); from 12:00 the next use usually came within 2 h: checking on the resident before raising an alert$/);
    expect(routineAlerts()).toEqual([]);

    const well = await callback('RC-R-0001-1', 'answered_well');
    expect(well.status).toBe(200);
    expect(well.body).toEqual({ callId: 'RC-R-0001-1', status: 'applied', alert: null });
    expect(field(await callback('RC-R-0001-1', 'answered_well').then((r) => r.body), 'status')).toBe('duplicate');
    expect((await callback('RC-R-0001-1', 'no_answer')).status).toBe(409);
    expect(routineAlerts()).toEqual([]);

    // Still silent two hours later (the readings come in one batch at 16:00): the silence since 12:00 passed
    // its usual limit at 14:45 (callAgainAtLimit), so the resident is rung again as the batch arrives.
    clock.skip(2 * 3_600_000);
    await publish(readings(at(5, '14:15'), at(5, '16:15'), at(5, '12:15')));
    await gateway.request('RC-R-0001-2');
    const none = await callback('RC-R-0001-2', 'no_answer');
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ callId: 'RC-R-0001-2', status: 'applied', alert: { rule: 'water.routine_deviation', state: 'open', subject: { id: 'R-0001' } } });
    const [a] = routineAlerts();
    expect(a?.reason).toMatch(/; from 12:00 the next use usually came within 2 h \(limit 14:45 passed\); answered a check-in call at 14:00 before it; check-in call at 16:00 not answered$/);
    expect(a?.calls).toBeUndefined();
    await sleep(300);
    expect(gateway.requests.filter((r) => r.body['resident'] && field(r.body['resident'], 'id') === 'R-0001' && r.body['purpose'] === 'alert')).toEqual([]);
    // Both requests are listed for the site's admins, without an alert id.
    const recent = field((await s.api.call('GET', '/api/sites/jiangsu-road/check-in-call', { token: await s.token('admin') })).body, 'recent');
    expect(Array.isArray(recent) ? recent.map((r) => [field(r, 'callId'), field(r, 'status'), field(r, 'alertId')]) : recent).toEqual([
      ['RC-R-0001-2', 'sent', ''],
      ['RC-R-0001-1', 'sent', ''],
    ]);
  });

  it('lists the calls for staff, newest first, one per call folded from its placed, result and late events', async () => {
    const staff = await s.token('staff');
    const list = async (query = '') => {
      const res = await s.api.call('GET', `/api/residents/R-0001/check-calls${query}`, { token: staff });
      expect(res.status).toBe(200);
      return res.body;
    };
    // The first test's calls: 14:00 answered well (the quiet spell restarted), 16:00 not answered (the alert).
    const reason14 = 'no water used since 12:00 (2.0 h); from 12:00 the next use usually came within 2 h: checking on the resident before raising an alert';
    const body = await list();
    expect(body).toEqual({
      resident: 'R-0001',
      checkIn: { ringsFirst: true },
      calls: [
        { callId: 'RC-R-0001-2', placedAt: expect.any(Number), timeoutAt: expect.any(Number), reason: expect.stringMatching(/^no water used since 12:00 .*answered a check-in call at 14:00.*: checking on the resident before raising an alert$/), result: 'no_answer', resultAt: expect.any(Number) },
        { callId: 'RC-R-0001-1', placedAt: expect.any(Number), timeoutAt: expect.any(Number), reason: reason14, result: 'answered_well', resultAt: expect.any(Number) },
      ],
    });
    // The engine's clock runs on from 14:00:02 (the first call) and 16:00:02 (the second, two hours on).
    const [second, older] = field(body, 'calls') as Record<string, number>[];
    for (const [c, hhmm] of [[older, '14:00'], [second, '16:00']] as const) {
      expect(c?.['placedAt']).toBeGreaterThanOrEqual(at(5, hhmm) + 2000);
      expect(c?.['placedAt']).toBeLessThan(at(5, hhmm) + 60_000);
      expect(c?.['timeoutAt']).toBe((c?.['placedAt'] ?? 0) + 120_000);
      expect(c?.['resultAt']).toBeGreaterThan(c?.['placedAt'] ?? 0);
      expect(c?.['resultAt']).toBeLessThan(c?.['timeoutAt'] ?? 0);
    }
    const first = { ...older };
    // The newest first, `limit` of them.
    expect(field(await list('?limit=1'), 'calls')).toEqual([expect.objectContaining({ callId: 'RC-R-0001-2' })]);

    // An answer for the superseded call: recorded as late on that call, its own times kept (not the newer call's).
    const lateAt = clock.now();
    const late = await callback('RC-R-0001-1', 'needs_help');
    expect(late.status).toBe(200);
    expect(field(late.body, 'status')).toBe('late');
    const after = field(await list(), 'calls') as Record<string, unknown>[];
    expect(after).toHaveLength(2);
    expect(after[1]).toEqual({ ...first, late: { result: 'needs_help', at: expect.any(Number) } });
    expect(Number(field(after[1]?.['late'], 'at'))).toBeGreaterThanOrEqual(lateAt);
    expect(after[0]).not.toHaveProperty('late');
    // A call for help is acted on however late: the routine alert is critical.
    expect(routineAlerts().filter((a) => a.state !== 'resolved').map((a) => a.severity)).toEqual(['critical']);

    // Why a resident without a phone is never rung first; unknown residents, foreign sites, bad limits.
    expect(await s.api.call('GET', '/api/residents/R-0002/check-calls', { token: staff }).then((r) => r.body)).toEqual({ resident: 'R-0002', checkIn: { ringsFirst: false, because: 'no_phone' }, calls: [] });
    const unknown = await s.api.call('GET', '/api/residents/R-9999/check-calls', { token: staff });
    const sibling = await s.api.call('GET', '/api/residents/R-9999/routine', { token: staff });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: sibling.body });
    expect(field(unknown.body, 'error')).toBe('resident_not_found');
    expect((await s.api.call('GET', '/api/residents/R-0001/check-calls', { token: await s.token('staffOther') })).status).toBe(403);
    expect((await s.api.call('GET', '/api/residents/R-0001/check-calls')).status).toBe(401);
    for (const q of ['limit=0', 'limit=201', 'limit=two', 'limit=1.5', 'max=3']) {
      const bad = await s.api.call('GET', `/api/residents/R-0001/check-calls?${q}`, { token: staff });
      expect({ q, status: bad.status, error: field(bad.body, 'error'), field: field(bad.body, 'field') }).toEqual({ q, status: 400, error: 'invalid_request', field: q.split('=')[0] });
    }
    expect(field(await list('?limit=200'), 'calls')).toHaveLength(2);
  });
});
