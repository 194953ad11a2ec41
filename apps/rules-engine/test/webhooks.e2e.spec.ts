import { createHmac } from 'node:crypto';
import { HttpReceiver, sleep, waitFor, type ReceivedRequest } from '@hearthbeat/testing';
import { field } from './support/api.client';
import { startApiStack, type ApiStack } from './support/api.fixture';

/** A webhook receiver on loopback that can refuse connections (closed), answer 500, or accept (204). */
class Receiver extends HttpReceiver {
  mode: 'fail' | 'ok' = 'fail';
  /** In 'ok' mode: payloads answered 422 Unprocessable Entity instead. */
  refuse: ((body: Record<string, unknown>) => boolean) | undefined;

  protected override answer(r: ReceivedRequest): number | { status: number; keep: boolean; body: string } {
    if (this.mode === 'fail') return { status: 500, keep: false, body: 'down for maintenance' };
    return this.refuse?.(r.body) ? { status: 422, keep: false, body: 'unknown rule' } : 204;
  }
}

const SECRET = 'a-shared-secret-for-the-sms-gateway';

describe('webhooks: signed, in order, retried with backoff, kept across an engine restart', () => {
  let s: ApiStack;
  const receiver = new Receiver();
  afterAll(async () => {
    await receiver.close();
    await s?.stop();
  });

  it('a receiver that refuses, then fails with 500, then recovers gets every change once, in order, with valid signatures', async () => {
    // Reserve a port, then close it: the receiver "is down" (connections refused).
    await receiver.listen();
    const port = receiver.port;
    await receiver.close();
    s = await startApiStack({ env: { HB_WEBHOOK_RETRY_BASE_MS: '100', HB_WEBHOOK_RETRY_MAX_S: '1', HB_WEBHOOK_TIMEOUT_S: '2' } });
    const admin = await s.token('admin');
    const created = await s.api.call('POST', '/api/sites/jiangsu-road/webhooks', { token: admin, body: { url: `http://127.0.0.1:${port}/hearthbeat`, secret: SECRET } });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret'); // given by the caller: never echoed
    const wid = String(field(created.body, 'id'));
    const deliveries = async () => (await s.api.call('GET', `/api/sites/jiangsu-road/webhooks/${wid}/deliveries`, { token: admin })).body;

    // Alert changes at the site: opened (MQTT), acknowledged, commented, resolved (REST); and one at another site.
    const alarm = await s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const foreign = await s.stack.device('SA-0101');
    await foreign.publishAsync('hb/v1/SA-0101/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const staff = await s.token('staff');
    const alertId = await waitFor('the alarm', () => s.stack.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm' && a.site === 'jiangsu-road')?.id);
    expect((await s.api.call('POST', `/api/alerts/${alertId}/ack`, { token: staff })).status).toBe(200);
    expect((await s.api.call('POST', `/api/alerts/${alertId}/comment`, { token: staff, body: { text: 'neighbour has a key' } })).status).toBe(200);
    expect((await s.api.call('POST', `/api/alerts/${alertId}/resolve`, { token: staff, body: { outcome: 'false_alarm', note: 'cooking smoke' } })).status).toBe(200);

    // Refused: attempts pile up on the first delivery, the others wait behind it.
    const refused = await waitFor('three refused attempts', async () => {
      const d = await deliveries();
      const items = field(d, 'items');
      const first = Array.isArray(items) ? items[items.length - 1] : undefined;
      return Number(field(first, "attempts")) >= 3 ? d : undefined;
    });
    expect(field(refused, 'pending')).toBe(4);
    const items = field(refused, 'items') as unknown[];
    expect(items.map((i) => field(i, 'change'))).toEqual(['resolved', 'commented', 'acknowledged', 'opened']);
    expect(items.map((i) => field(i, 'status'))).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(field(items[3], 'lastError')).toBe('ECONNREFUSED');
    expect(items.slice(0, 3).map((i) => field(i, 'attempts'))).toEqual([0, 0, 0]);

    // Up, but answering 500.
    await receiver.listen(port);
    await waitFor('a 500 answer recorded', async () => {
      const first = (field(await deliveries(), 'items') as unknown[]).at(-1);
      return field(first, 'lastError') === 'HTTP 500' || undefined;
    });

    // The engine stops with everything still pending; a message arrives meanwhile (queued by the broker).
    await s.stack.stopEngine();
    const meter = await s.stack.device('WM-0001');
    await meter.publishAsync('hb/v1/WM-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'leak' }), { qos: 1 });
    await s.stack.startEngine(); // a new Nest application on the same data directory (and a new HTTP port)

    // The receiver recovers: everything arrives, once, in order.
    receiver.mode = 'ok';
    await waitFor('all five deliveries', () => receiver.received.length >= 5 || undefined, 15_000);
    await sleep(300);
    const got = receiver.received;
    expect(got.map((r) => `${String(field(r.body['alert'], 'rule'))} ${String(r.body['change'])}`)).toEqual([
      'smoke.alarm opened',
      'smoke.alarm acknowledged',
      'smoke.alarm commented',
      'smoke.alarm resolved',
      'water.leak opened',
    ]);
    const seqs = got.map((r) => Number(r.body['seq']));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(got.map((r) => r.headers['x-hearthbeat-delivery'])).size).toBe(5);
    for (const r of got) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(r.raw).digest('hex')}`;
      expect(r.headers['x-hearthbeat-signature']).toBe(expected);
      expect(r.headers['x-hearthbeat-delivery']).toBe(r.body['id']);
      expect(Number(r.headers['x-hearthbeat-timestamp'])).toBeGreaterThan(0);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.body).toMatchObject({ site: 'jiangsu-road', webhookId: wid, type: 'alert' });
    }
    expect(got[3]?.body).toMatchObject({ alert: { state: 'resolved', outcome: 'false_alarm' }, entry: { action: 'resolved', by: 'li.bin' } });

    const after = await deliveries();
    expect(field(after, 'pending')).toBe(0);
    const done = field(after, 'items') as unknown[];
    expect(done.map((i) => field(i, 'status'))).toEqual(Array(5).fill('delivered'));
    expect(Number(field(done.at(-1), 'attempts'))).toBeGreaterThanOrEqual(4);
    const metrics = String((await s.api.call('GET', '/metrics')).body);
    expect(metrics).toMatch(/^hb_engine_webhook_deliveries_total\{result="delivered"\} 5$/m);
    expect(metrics).toMatch(/^hb_engine_webhook_pending 0$/m);
  }, 60_000);
});

describe('webhooks: a payload the receiver keeps refusing is set aside, and can be redelivered', () => {
  let s: ApiStack;
  const receiver = new Receiver();
  afterAll(async () => {
    await receiver.close();
    await s?.stop();
  });

  it('422 three times in a row: rejected, listed and counted; the changes after it are delivered; redeliver sends it', async () => {
    receiver.mode = 'ok';
    let refusing = true;
    receiver.refuse = (body) => refusing && field(body['alert'], 'rule') === 'smoke.alarm' && body['change'] === 'opened';
    await receiver.listen();
    s = await startApiStack({ env: { HB_WEBHOOK_RETRY_BASE_MS: '50', HB_WEBHOOK_RETRY_MAX_S: '1', HB_WEBHOOK_REJECT_AFTER: '3' } });
    const admin = await s.token('admin');
    const created = await s.api.call('POST', '/api/sites/jiangsu-road/webhooks', { token: admin, body: { url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRET, changes: ['opened', 'acknowledged'] } });
    const wid = String(field(created.body, 'id'));
    const base = `/api/sites/jiangsu-road/webhooks/${wid}`;

    const alarm = await s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const alertId = await waitFor('the alarm', () => s.stack.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm' && a.site === 'jiangsu-road')?.id);
    expect((await s.api.call('POST', `/api/alerts/${alertId}/ack`, { token: await s.token('staff') })).status).toBe(200);

    // The acknowledgement gets through once the refused opening is set aside.
    await waitFor('the acknowledgement delivered', () => receiver.received.find((r) => r.body['change'] === 'acknowledged'), 15_000);
    const rejected = (await s.api.call('GET', `${base}/deliveries?status=rejected`, { token: admin })).body;
    const items = field(rejected, 'items') as unknown[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ change: 'opened', status: 'rejected', attempts: 3, refusals: 3, lastStatus: 422, lastError: 'HTTP 422' });
    const list = (await s.api.call('GET', '/api/sites/jiangsu-road/webhooks', { token: admin })).body as unknown[];
    expect(list.find((w) => field(w, 'id') === wid)).toMatchObject({ pending: 0, rejected: 1 });
    const metrics = String((await s.api.call('GET', '/metrics')).body);
    expect(metrics).toMatch(/^hb_engine_webhook_deliveries_total\{result="rejected"\} 1$/m);

    // The receiver is fixed: redeliver.
    refusing = false;
    const did = String(field(items[0], 'id'));
    const again = await s.api.call('POST', `${base}/deliveries/${did}/redeliver`, { token: admin });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: did, status: 'pending', refusals: 0 });
    await waitFor('the opening delivered', () => receiver.received.find((r) => r.body['change'] === 'opened'), 15_000);
    expect(receiver.received.map((r) => r.body['change'])).toEqual(['acknowledged', 'opened']);

    const twice = await s.api.call('POST', `${base}/deliveries/${did}/redeliver`, { token: admin });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: 'delivery_not_rejected' });
    const unknown = await s.api.call('POST', `${base}/deliveries/${wid}-999999/redeliver`, { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'delivery_not_found' });
    expect((await s.api.call('POST', `${base}/deliveries/${did}/redeliver`, { token: await s.token('staff') })).status).toBe(403);
  }, 60_000);
});
