import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import { HttpReceiver, waitFor, type ReceivedRequest } from '@hearthbeat/testing';
import { OffsetClock } from '../src';
import { EventRetentionService } from '../src/retention/event-retention.service';
import { field } from './support/api.client';
import { apiRegistry, startApiStack, type ApiStack } from './support/api.fixture';

const DAY = 24 * 3600 * 1000;
const SECRET = 'the-voice-gateway-shared-secret';
const sign = (raw: string) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

/** A receiver that refuses every payload as unprocessable (422): with HB_WEBHOOK_REJECT_AFTER=1 its delivery is set aside at once. */
class Refusing extends HttpReceiver {
  protected override answer(_r: ReceivedRequest): number {
    return 422;
  }
}

/**
 * The running engine (Nest wiring, real SQLite, HTTP) with its clock moved past HB_EVENTS_RETAIN_DAYS:
 * the hourly pass deletes the finished webhook deliveries (delivered, rejected) and check-in call
 * requests (sent), keeps the pending delivery of a receiver that is down, counts both in /metrics, and the
 * API answers clearly for what is gone.
 */
describe('finished webhook deliveries and call requests pruned by the running engine', () => {
  let s: ApiStack | undefined;
  const gateway = new HttpReceiver();
  const receiver = new HttpReceiver();
  const refusing = new Refusing();
  afterAll(async () => {
    await s?.stop();
    await Promise.all([gateway.close(), receiver.close(), refusing.close()]);
    if (s) fs.rmSync(s.stack.dataDir, { recursive: true, force: true });
  });

  it('deletes them after HB_EVENTS_RETAIN_DAYS, keeps the pending ones, counts them, and answers 404/401 for the ids that are gone', async () => {
    await Promise.all([gateway.listen(), receiver.listen(), refusing.listen()]);
    // A receiver that is down (a port reserved, then closed): its delivery stays pending.
    const spare = new HttpReceiver();
    await spare.listen();
    const down = spare.port;
    await spare.close();
    const clock = new OffsetClock();
    const file = apiRegistry();
    const r1 = file.residents[0];
    if (!r1) throw new Error('no resident');
    r1.phone = '+86 21 5555 0001';
    const stack = await startApiStack({ clock, file, env: { HB_EVENTS_RETAIN_DAYS: '1', HB_WEBHOOK_RETRY_BASE_MS: '60000', HB_WEBHOOK_REJECT_AFTER: '1' } });
    s = stack;
    const admin = async () => {
      // Tokens expire as the clock moves two days: sign in at each look.
      stack.forget('admin');
      return stack.token('admin');
    };
    const put = await stack.api.call('PUT', '/api/sites/jiangsu-road/check-in-call', {
      token: await admin(),
      body: { enabled: true, timeoutS: 120, rules: ['smoke.alarm'], gatewayUrl: `http://127.0.0.1:${gateway.port}/calls`, secret: SECRET },
    });
    expect(put.status).toBe(200);
    const hook = async (url: string) => {
      const created = await stack.api.call('POST', '/api/sites/jiangsu-road/webhooks', { token: await admin(), body: { url, secret: 'sixteen-chars-secret', changes: ['opened'] } });
      expect(created.status).toBe(201);
      return String(field(created.body, 'id'));
    };
    const delivered = await hook(`http://127.0.0.1:${receiver.port}/hook`);
    const rejected = await hook(`http://127.0.0.1:${refusing.port}/hook`);
    const pending = await hook(`http://127.0.0.1:${down}/hook`);
    const deliveries = async (wid: string) => (await stack.api.call('GET', `/api/sites/jiangsu-road/webhooks/${wid}/deliveries`, { token: await admin() })).body;
    const statuses = async (wid: string) => {
      const items = field(await deliveries(wid), 'items');
      return Array.isArray(items) ? items.map((d) => String(field(d, 'status'))) : [];
    };
    const recentCalls = async () => field((await stack.api.call('GET', '/api/sites/jiangsu-road/check-in-call', { token: await admin() })).body, 'recent');

    // A fire alarm: its opening goes to the three webhooks, and the resident is rung through the gateway.
    const alarm = await stack.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: clock.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const alert = await waitFor('the alarm with its call placed', () => stack.stack.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm' && a.calls?.length));
    const callId = alert.calls?.[0]?.id ?? '';
    await waitFor('the call request sent', async () => {
      const recent = await recentCalls();
      return Array.isArray(recent) && recent.some((r) => field(r, 'callId') === callId && field(r, 'status') === 'sent');
    });
    // The resident answers: the alert is resolved by the call.
    const answer = () => {
      const raw = JSON.stringify({ callId, result: 'answered_well', timestamp: clock.now() });
      return stack.api.call('POST', `/api/calls/${callId}/result`, { rawBody: raw, headers: { 'x-hearthbeat-signature': sign(raw) } });
    };
    expect((await answer()).status).toBe(200);
    await waitFor('one delivered, one rejected, one pending', async () =>
      (await statuses(delivered))[0] === 'delivered' && (await statuses(rejected))[0] === 'rejected' && (await statuses(pending))[0] === 'pending' ? true : undefined,
    );
    const rejectedId = String(field((field(await deliveries(rejected), 'items') as unknown[])[0], 'id'));

    clock.skip(2 * DAY);
    const run = await stack.stack.engine.app.get(EventRetentionService).runOnce();
    expect(run.finished).toEqual({ webhook_deliveries: 2, call_requests: 1 });

    // Finished ones are gone from the lists; the pending one stays, however old.
    expect(await deliveries(delivered)).toMatchObject({ pending: 0, items: [] });
    expect(await deliveries(rejected)).toMatchObject({ pending: 0, items: [], webhook: { rejected: 0 } });
    expect(await deliveries(pending)).toMatchObject({ pending: 1, items: [{ status: 'pending', change: 'opened' }] });
    expect(await recentCalls()).toEqual([]);
    // The rejected delivery can no longer be redelivered: 404, saying why it may be gone.
    const redeliver = await stack.api.call('POST', `/api/sites/jiangsu-road/webhooks/${rejected}/deliveries/${rejectedId}/redeliver`, { token: await admin() });
    expect(redeliver.status).toBe(404);
    expect(redeliver.body).toMatchObject({ error: 'delivery_not_found' });
    expect(String(field(redeliver.body, 'message'))).toContain('HB_EVENTS_RETAIN_DAYS');
    // A late result for the pruned call is answered like an unknown call (docs/api.md, "Event retention").
    const late = await answer();
    expect(late.status).toBe(401);
    expect(String(field(late.body, 'message'))).toContain('unknown call');

    const metrics = await (await fetch(`http://127.0.0.1:${stack.port}/metrics`)).text();
    expect(metrics).toMatch(/^hb_engine_webhook_deliveries_pruned_total 2$/m);
    expect(metrics).toMatch(/^hb_engine_call_requests_pruned_total 1$/m);
    // The next pass finds nothing more.
    expect((await stack.stack.engine.app.get(EventRetentionService).runOnce()).finished).toEqual({ webhook_deliveries: 0, call_requests: 0 });
  }, 60_000);
});
