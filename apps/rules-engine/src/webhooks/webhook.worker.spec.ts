import type { Alert } from '@hearthbeat/contracts';
import type { AlertEvent, CoreEvent } from '@hearthbeat/rules-core';
import { tempDir, waitFor } from '@hearthbeat/testing';
import type { SendResult } from './webhook.sender';
import { verifySignature } from './webhook.signer';
import { WebhookStore, type Webhook } from './webhook.store';
import { retryDelayMs } from './delivery.loop';
import { WebhookWorker } from './webhook.worker';

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
});
