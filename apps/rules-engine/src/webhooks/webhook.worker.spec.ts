import type { Alert } from '@hearthbeat/contracts';
import type { AlertEvent, CoreEvent } from '@hearthbeat/rules-core';
import { tempDir, waitFor } from '@hearthbeat/testing';
import type { SendResult } from './webhook.sender';
import { verifySignature } from './webhook.signer';
import { WebhookStore, type Webhook } from './webhook.store';
import { retryDelayMs } from './delivery.loop';
import { WebhookWorker } from './webhook.worker';
import { openEngineDb } from '../store/engine-db';

const alertEvent = (id: string, change: AlertEvent['change'], site = 'a'): AlertEvent => ({
  type: 'alert',
  change,
  at: 1,
  alert: { id, site, rule: 'smoke.alarm', state: 'open', severity: 'critical', subject: { type: 'resident', id: 'R-1' }, openedAt: 1, lastSeenAt: 1, count: 1, reason: 'r', escalationLevel: 0, timeline: [] } satisfies Alert,
  entry: { n: 0, at: 1, by: 'system', action: 'opened' },
});

describe('WebhookWorker', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((n) => retryDelayMs(n, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('sends matching changes of its site one at a time, in order, retrying the head until it is accepted', async () => {
    const store = new WebhookStore(tempDir('webhook-worker'));
    const events: { seq: number; event: CoreEvent }[] = [];
    const hook: Webhook = { id: 'wh_1', site: 'a', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened', 'resolved'], createdAt: 0, createdBy: 'admin', scanSeq: 0 };
    store.create(hook);
    const calls: { id: string; ok: boolean; body: string; sig: string }[] = [];
    let failuresLeft = 3;
    const worker = new WebhookWorker(hook, {
      store,
      events: {
        lastEventSeq: () => events.at(-1)?.seq ?? 0,
        siteEventsAfter: (site, type, seq, limit = 1000) => events.filter((e) => e.seq > seq && e.event.type === type && 'alert' in e.event && e.event.alert.site === site).slice(0, limit),
      },
      clock: { now: () => Date.now() },
      send: async (_url, headers, body): Promise<SendResult> => {
        const ok = failuresLeft-- <= 0;
        calls.push({ id: headers['x-hearthbeat-delivery'] ?? '', ok, body, sig: headers['x-hearthbeat-signature'] ?? '' });
        return ok ? { ok: true, status: 200 } : { ok: false, status: 503, error: 'HTTP 503' };
      },
      retryBaseMs: 5,
      retryMaxMs: 20,
      timeoutMs: 1000,
      rejectAfter: 3,
      onAttempt: () => undefined,
      onError: (err) => {
        throw err;
      },
    });
    events.push({ seq: 1, event: alertEvent('AL-1', 'opened') }, { seq: 2, event: alertEvent('AL-9', 'opened', 'b') }, { seq: 3, event: alertEvent('AL-1', 'acknowledged') });
    worker.start();
    events.push({ seq: 4, event: alertEvent('AL-1', 'resolved') }, { seq: 5, event: alertEvent('AL-2', 'opened') });
    worker.wake();
    await waitFor('three deliveries accepted', () => calls.filter((c) => c.ok).length === 3 || undefined, 5000);
    await worker.stop();
    expect(calls.map((c) => `${c.id}${c.ok ? '' : ' (failed)'}`)).toEqual(['wh_1-1 (failed)', 'wh_1-1 (failed)', 'wh_1-1 (failed)', 'wh_1-1', 'wh_1-4', 'wh_1-5']);
    for (const c of calls) expect(verifySignature('sixteen-chars-secret', c.body, c.sig)).toBe(true);
    expect(store.deliveries('wh_1', 10).map((d) => [d.seq, d.status, d.attempts])).toEqual([
      [5, 'delivered', 1],
      [4, 'delivered', 1],
      [1, 'delivered', 4],
    ]);
    expect(store.get('wh_1')?.scanSeq).toBe(5);
    store.close();
  });

  describe('a payload the receiver keeps refusing (400, 413, 415, 422)', () => {
    /** A worker on a real store whose receiver answers `answer(deliveryId, attempt)`; events seq 1..3 of site a. */
    function setup(answer: (id: string, n: number) => number) {
      const store = new WebhookStore(tempDir('webhook-reject'));
      const hook: Webhook = { id: 'wh_1', site: 'a', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened', 'resolved'], createdAt: 0, createdBy: 'admin', scanSeq: 0 };
      store.create(hook);
      const events: { seq: number; event: CoreEvent }[] = [
        { seq: 1, event: alertEvent('AL-1', 'opened') },
        { seq: 2, event: alertEvent('AL-2', 'opened') },
        { seq: 3, event: alertEvent('AL-1', 'resolved') },
      ];
      const sent: string[] = [];
      const results: string[] = [];
      const tries = new Map<string, number>();
      const worker = new WebhookWorker(hook, {
        store,
        events: { lastEventSeq: () => 3, siteEventsAfter: (_site, _type, seq, limit = 1000) => events.filter((e) => e.seq > seq).slice(0, limit) },
        clock: { now: () => Date.now() },
        send: async (_url, headers): Promise<SendResult> => {
          const id = headers['x-hearthbeat-delivery'] ?? '';
          const n = (tries.get(id) ?? 0) + 1;
          tries.set(id, n);
          const status = answer(id, n);
          sent.push(`${id}:${status}`);
          return status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` };
        },
        retryBaseMs: 2,
        retryMaxMs: 5,
        timeoutMs: 1000,
        rejectAfter: 3,
        onAttempt: (result, _h, id) => results.push(`${id} ${result}`),
        onError: (err) => {
          throw err;
        },
      });
      return { store, worker, sent, results };
    }

    it('is set aside as rejected after three refusals in a row, and the queue moves on; redelivered, it is sent next', async () => {
      let fixed = false;
      const { store, worker, sent, results } = setup((id) => (id === 'wh_1-2' && !fixed ? 422 : 204));
      worker.start();
      await waitFor('the queue past the refused payload', () => store.deliveries('wh_1', 10).find((d) => d.seq === 3 && d.status === 'delivered'), 5000);
      expect(sent).toEqual(['wh_1-1:204', 'wh_1-2:422', 'wh_1-2:422', 'wh_1-2:422', 'wh_1-3:204']);
      expect(results).toContain('wh_1-2 rejected');
      expect(store.delivery('wh_1', 'wh_1-2')).toMatchObject({ status: 'rejected', attempts: 3, refusals: 3, lastStatus: 422, lastError: 'HTTP 422' });
      expect(store.rejectedCount('wh_1')).toBe(1);
      expect(store.pendingCount('wh_1')).toBe(0);

      fixed = true;
      expect(store.redeliver('wh_1', 'wh_1-2', Date.now())).toMatchObject({ status: 'pending', refusals: 0 });
      expect(store.redeliver('wh_1', 'wh_1-2', Date.now())).toBeUndefined();
      worker.wake();
      await waitFor('the redelivery', () => store.delivery('wh_1', 'wh_1-2')?.status === 'delivered' || undefined, 5000);
      await worker.stop();
      expect(sent.at(-1)).toBe('wh_1-2:204');
      expect(store.rejectedCount('wh_1')).toBe(0);
      store.close();
    });

    it('any other failure in between starts the count again; 401, 404, 429 and 5xx never set a delivery aside', async () => {
      const mixed = setup((id, n) => (id === 'wh_1-1' ? ([422, 422, 503, 422, 422, 204][n - 1] ?? 204) : 204));
      mixed.worker.start();
      await waitFor('all delivered', () => mixed.store.deliveries('wh_1', 10).every((d) => d.status === 'delivered') && mixed.store.deliveries('wh_1', 10).length === 3 || undefined, 5000);
      await mixed.worker.stop();
      expect(mixed.sent.filter((x) => x.startsWith('wh_1-1')).map((x) => x.split(':')[1])).toEqual(['422', '422', '503', '422', '422', '204']);
      expect(mixed.results).not.toContain('wh_1-1 rejected');
      mixed.store.close();

      for (const status of [401, 404, 429, 500]) {
        const blocked = setup((id) => (id === 'wh_1-1' ? status : 204));
        blocked.worker.start();
        await waitFor(`six tries answered ${status}`, () => blocked.sent.length >= 6 || undefined, 5000);
        await blocked.worker.stop();
        expect(blocked.sent.every((x) => x === `wh_1-1:${status}`)).toBe(true);
        expect(blocked.store.delivery('wh_1', 'wh_1-1')).toMatchObject({ status: 'pending', refusals: 0 });
        blocked.store.close();
      }
    });
  });

  it('a store written before refusals were counted gains the column, its deliveries at 0', () => {
    const dir = tempDir('webhook-old');
    const db = openEngineDb(dir);
    db.exec(`CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, seq INTEGER NOT NULL, alert_id TEXT NOT NULL,
        change TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_attempt_at INTEGER,
        last_error TEXT, last_status INTEGER, delivered_at INTEGER);
      INSERT INTO webhook_deliveries(id, webhook_id, seq, alert_id, change, body, status, attempts, created_at, next_attempt_at)
        VALUES ('wh_1-1', 'wh_1', 1, 'AL-1', 'opened', '{}', 'pending', 2, 1, 1);`);
    db.close();
    const store = new WebhookStore(dir);
    expect(store.nextPending('wh_1')).toMatchObject({ id: 'wh_1-1', attempts: 2, refusals: 0 });
    store.close();
    // Opening it again is a no-op.
    const again = new WebhookStore(dir);
    expect(again.delivery('wh_1', 'wh_1-1')?.refusals).toBe(0);
    again.close();
  });
});
