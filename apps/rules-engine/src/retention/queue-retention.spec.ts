import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { CoreEvent } from '@hearthbeat/rules-core';
import { CallStore } from '../calls/call.store';
import { EngineMetrics } from '../ops/engine.metrics';
import { ENGINE_DB_FILE, ENGINE_JOURNAL_SIZE_LIMIT } from '../store/engine-db';
import { EngineStore } from '../store/engine-store';
import { WebhookStore } from '../webhooks/webhook.store';
import { EventRetention, type FinishedRows, type RetentionRun, type RetentionTable } from './event-retention';

const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;
const NOW = Date.UTC(2025, 10, 20, 6, 0, 0);
const CUTOFF = NOW - 90 * DAY;
const OLD = NOW - 100 * DAY;
const RECENT = NOW - 10 * DAY;
const nothing = { devices: [], subjects: [], alerts: [] };
const risk = (at: number, reason = ''): CoreEvent => ({ type: 'risk', at, subject: { type: 'resident', id: 'R-1' }, site: 'a', colour: 'red', previous: 'green', reason });

/** The stores of one engine.sqlite in a temporary directory, closed and removed after each test. */
const opened: { close(): void }[] = [];
const dirs: string[] = [];
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-queue-retention-'));
  dirs.push(dir);
  return dir;
}
function keep<T extends { close(): void }>(store: T): T {
  opened.push(store);
  return store;
}
afterEach(() => {
  for (const s of opened.splice(0).reverse()) s.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A webhook `wh_1` (created unless the file has it) and its deliveries, each queued at `createdAt` (`wh_1-<seq>`). */
function webhookQueue(dir: string) {
  const hooks = keep(new WebhookStore(dir));
  if (!hooks.get('wh_1')) hooks.create({ id: 'wh_1', site: 'a', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened'], createdAt: 0, createdBy: 'admin', scanSeq: 0 });
  let seq = 0;
  const queue = (createdAt: number): string => {
    seq++;
    const id = `wh_1-${seq}`;
    hooks.enqueue('wh_1', seq, [{ id, seq, alertId: `AL-${seq}`, change: 'opened', body: '{}', at: createdAt }]);
    return id;
  };
  const ids = () => hooks.deliveries('wh_1', 100_000).map((d) => d.id).sort();
  return { hooks, queue, ids };
}

/** The call requests' queue: `queue` a request placed at `createdAt` whose call times out at `deadline`. */
function callQueue(dir: string) {
  const calls = keep(new CallStore(dir));
  calls.initCursor(0);
  let seq = 0;
  const queue = (createdAt: number, deadline = createdAt + 120_000): string => {
    seq++;
    const callId = `AL-${seq}-C1`;
    calls.enqueue(seq, [{ callId, alertId: `AL-${seq}`, site: 'a', step: 'resident', seq, template: '{}', createdAt, deadline }]);
    return callId;
  };
  const ids = () => calls.recent('a', 100_000).map((q) => q.callId).sort();
  return { calls, queue, ids };
}

describe('WebhookStore.pruneFinished on a real SQLite file', () => {
  it('deletes the deliveries delivered or rejected before the cutoff, by when they finished; pending ones (waiting, retrying, redelivered) stay whatever their age', () => {
    const { hooks, queue, ids } = webhookQueue(tempDataDir());
    const deliveredOld = queue(OLD);
    hooks.markDelivered(deliveredOld, OLD + 1000, 200);
    // Queued long ago, but delivered recently (its receiver was down for months): counted from delivery.
    const deliveredLate = queue(OLD - YEAR);
    hooks.markDelivered(deliveredLate, RECENT, 200);
    const rejectedOld = queue(OLD);
    hooks.markRejected(rejectedOld, OLD + 1000, 422, 'HTTP 422');
    const rejectedRecent = queue(OLD);
    hooks.markRejected(rejectedRecent, RECENT, 422, 'HTTP 422');
    // Five years of retrying a receiver that is down.
    const retrying = queue(OLD - 5 * YEAR);
    for (let i = 0; i < 40; i++) hooks.markFailed(retrying, OLD - 5 * YEAR + i * DAY, OLD + i * DAY, null, 'ECONNREFUSED');
    // Rejected long ago, then put back in the queue by an admin: pending again.
    const redelivered = queue(OLD - YEAR);
    hooks.markRejected(redelivered, OLD - YEAR, 400, 'HTTP 400');
    expect(hooks.redeliver('wh_1', redelivered, OLD)).toMatchObject({ status: 'pending' });
    const waiting = queue(OLD - 5 * YEAR);
    const deliveredRecent = queue(RECENT);
    hooks.markDelivered(deliveredRecent, RECENT, 200);

    expect(hooks.pruneFinished(CUTOFF, 100)).toBe(2);
    expect(ids()).toEqual([deliveredLate, rejectedRecent, retrying, redelivered, waiting, deliveredRecent].sort());
    expect(hooks.delivery('wh_1', deliveredOld)).toBeUndefined();
    expect(hooks.rejectedCount('wh_1')).toBe(1);
    // However far the cutoff, only the pending ones are left, untouched.
    expect(hooks.pruneFinished(NOW + 100 * YEAR, 100)).toBe(3);
    expect(ids()).toEqual([retrying, redelivered, waiting].sort());
    expect(hooks.pendingCount('wh_1')).toBe(3);
    expect(hooks.delivery('wh_1', retrying)).toMatchObject({ status: 'pending', attempts: 40, lastError: 'ECONNREFUSED' });
    expect(hooks.nextPending('wh_1')?.id).toBe(retrying);
  });

  it('deletes at most `limit` per call, oldest finished first', () => {
    const { hooks, queue, ids } = webhookQueue(tempDataDir());
    const byAge = [5, 3, 1, 4, 2].map((k) => {
      const id = queue(OLD);
      hooks.markDelivered(id, OLD - k * DAY, 200);
      return [k, id] as const;
    });
    expect(hooks.pruneFinished(CUTOFF, 2)).toBe(2);
    const left = byAge.filter(([k]) => k < 4).map(([, id]) => id);
    expect(ids()).toEqual(left.sort());
  });
});

describe('CallStore.pruneFinished on a real SQLite file', () => {
  it('deletes the requests sent, expired or cancelled before the cutoff once their call timed out; pending ones stay whatever their age', () => {
    const { calls, queue, ids } = callQueue(tempDataDir());
    const sentOld = queue(OLD);
    calls.markSent(sentOld, OLD + 1000, 202);
    const expiredOld = queue(OLD);
    calls.closeRequest(expiredOld, 'expired', 'timed out', OLD + 120_000);
    const cancelledOld = queue(OLD);
    calls.closeRequest(cancelledOld, 'cancelled', 'no longer awaited', OLD + 1000);
    // Sent long ago, but the call may still be answered until its timeout: it waits for that.
    const sentAwaiting = queue(OLD, RECENT);
    calls.markSent(sentAwaiting, OLD + 1000, 202);
    // Its call timed out long ago, but the request was closed only recently (the engine was down).
    const expiredLate = queue(OLD);
    calls.closeRequest(expiredLate, 'expired', 'timed out', RECENT);
    // A gateway that never accepted it, and a worker that has not closed it yet: still pending.
    const retrying = queue(OLD - 5 * YEAR);
    for (let i = 0; i < 10; i++) calls.markFailed(retrying, OLD - 5 * YEAR + i * 1000, OLD - 5 * YEAR + (i + 1) * 1000, 503, 'HTTP 503');
    const waiting = queue(OLD - 5 * YEAR);
    const sentRecent = queue(RECENT);
    calls.markSent(sentRecent, RECENT + 1000, 202);

    expect(calls.pruneFinished(CUTOFF, 100)).toBe(3);
    expect(ids()).toEqual([sentAwaiting, expiredLate, retrying, waiting, sentRecent].sort());
    expect(calls.request(sentOld)).toBeUndefined();
    expect(calls.request(expiredLate)).toMatchObject({ status: 'expired', closedAt: RECENT });
    expect(calls.pruneFinished(NOW + 100 * YEAR, 100)).toBe(3);
    expect(ids()).toEqual([retrying, waiting].sort());
    expect(calls.pendingCount('a')).toBe(2);
    expect(calls.request(retrying)).toMatchObject({ status: 'pending', attempts: 10, lastError: 'HTTP 503' });
    // Still due for the worker (which closes them as expired: their calls timed out).
    expect(calls.due(NOW, 10).map((q) => q.callId).sort()).toEqual([retrying, waiting].sort());
  });

  it('a file written before closed_at existed gains the column; its closed requests count from their call\'s timeout', () => {
    const dir = tempDataDir();
    const raw = new Database(path.join(dir, ENGINE_DB_FILE));
    raw.exec(`CREATE TABLE call_requests (
        call_id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, site TEXT NOT NULL, step TEXT NOT NULL, seq INTEGER NOT NULL,
        body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL, deadline INTEGER NOT NULL, last_attempt_at INTEGER, last_status INTEGER,
        last_error TEXT, sent_at INTEGER)`);
    const insert = raw.prepare(`INSERT INTO call_requests(call_id, alert_id, site, step, seq, body, status, created_at, next_attempt_at, deadline)
      VALUES (?, 'AL-1', 'a', 'resident', ?, '{}', ?, ?, ?, ?)`);
    insert.run('old-expired', 1, 'expired', OLD, OLD, OLD + 120_000);
    insert.run('recent-cancelled', 2, 'cancelled', RECENT, RECENT, RECENT + 120_000);
    insert.run('old-pending', 3, 'pending', OLD, OLD, OLD + 120_000);
    raw.close();

    const calls = keep(new CallStore(dir));
    expect(calls.request('old-expired')).toMatchObject({ status: 'expired' });
    expect(calls.request('old-expired')?.closedAt).toBeUndefined();
    expect(calls.pruneFinished(CUTOFF, 100)).toBe(1);
    expect(calls.recent('a', 10).map((q) => q.callId)).toEqual(['old-pending', 'recent-cancelled']);
  });
});

/** A retention over real stores with the two queues, counting into real metrics; `afterBatch` runs as each batch is counted. */
function retentionOf(dir: string, batchSize: number, afterBatch?: (table: RetentionTable, retention: EventRetention) => void) {
  const store = keep(new EngineStore(dir));
  const webhooks = webhookQueue(dir);
  const calls = callQueue(dir);
  const metrics = new EngineMetrics();
  const pruned: [RetentionTable, number][] = [];
  const finished: FinishedRows[] = [
    { table: 'webhook_deliveries', pruneFinished: (before, limit) => webhooks.hooks.pruneFinished(before, limit) },
    { table: 'call_requests', pruneFinished: (before, limit) => calls.calls.pruneFinished(before, limit) },
  ];
  const runs: RetentionRun[] = [];
  const retention = new EventRetention({
    store,
    clock: { now: () => NOW },
    retainMs: 90 * DAY,
    consumers: () => [],
    finished,
    onPruned: (n, table) => {
      pruned.push([table, n]);
      metrics.pruned(table, n);
      afterBatch?.(table, retention);
    },
    onRun: (r) => runs.push(r),
    onError: (err) => {
      throw err;
    },
    batchSize,
  });
  const counter = async (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await metrics.registry.metrics())?.[1]);
  return { store, webhooks, calls, retention, pruned, runs, counter };
}

describe('EventRetention: the finished rows of the webhook and call queues', () => {
  it('prunes them after the events, batch after batch, with the same cutoff, and counts each table in /metrics', async () => {
    const { store, webhooks, calls, retention, pruned, counter } = retentionOf(tempDataDir(), 3);
    for (let i = 0; i < 4; i++) store.write(nothing, [risk(OLD + i)]);
    const oldDelivered = Array.from({ length: 7 }, (_, i) => {
      const id = webhooks.queue(OLD);
      webhooks.hooks.markDelivered(id, OLD + i, 200);
      return id;
    });
    const keptDeliveries = [webhooks.queue(OLD - YEAR), webhooks.queue(OLD - YEAR)];
    const recent = webhooks.queue(RECENT);
    webhooks.hooks.markDelivered(recent, RECENT, 200);
    keptDeliveries.push(recent);
    for (let i = 0; i < 5; i++) calls.calls.markSent(calls.queue(OLD + i), OLD + i + 1, 202);
    const pendingCall = calls.queue(OLD - YEAR);

    const run = await retention.run();
    expect(run).toMatchObject({ deleted: 4, finished: { webhook_deliveries: 7, call_requests: 5 } });
    expect(pruned).toEqual([
      ['events', 3],
      ['events', 1],
      ['webhook_deliveries', 3],
      ['webhook_deliveries', 3],
      ['webhook_deliveries', 1],
      ['call_requests', 3],
      ['call_requests', 2],
    ]);
    expect(oldDelivered.some((id) => webhooks.hooks.delivery('wh_1', id))).toBe(false);
    expect(webhooks.ids()).toEqual(keptDeliveries.sort());
    expect(calls.ids()).toEqual([pendingCall]);
    expect(await counter('hb_engine_events_pruned_total')).toBe(4);
    expect(await counter('hb_engine_webhook_deliveries_pruned_total')).toBe(7);
    expect(await counter('hb_engine_call_requests_pruned_total')).toBe(5);

    // Nothing more is due: the next pass deletes nothing and the counters stay.
    expect(await retention.run()).toMatchObject({ deleted: 0, finished: { webhook_deliveries: 0, call_requests: 0 } });
    expect(pruned).toHaveLength(7);
    expect(await counter('hb_engine_webhook_deliveries_pruned_total')).toBe(7);
  });

  it('a pass stopped between batches leaves whole rows; the next one (after a reopen) goes on where it stopped', async () => {
    const dir = tempDataDir();
    // Stopped (the engine shutting down) as the first batch of deliveries commits.
    let stopping: Promise<void> | undefined;
    const first = retentionOf(dir, 2, (table, retention) => {
      if (table === 'webhook_deliveries') stopping ??= retention.stop();
    });
    for (let i = 0; i < 5; i++) first.webhooks.hooks.markDelivered(first.webhooks.queue(OLD), OLD + i, 200);
    const pending = first.webhooks.queue(OLD - YEAR);
    for (let i = 0; i < 3; i++) first.calls.calls.closeRequest(first.calls.queue(OLD), 'expired', 'timed out', OLD + 200_000);
    expect(await first.retention.run()).toMatchObject({ finished: { webhook_deliveries: 2, call_requests: 0 } });
    await stopping;
    expect(first.webhooks.ids()).toHaveLength(4);
    expect(first.calls.ids()).toHaveLength(3);
    for (const s of opened.splice(0).reverse()) s.close();

    const db = new Database(path.join(dir, ENGINE_DB_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const again = retentionOf(dir, 2);
    expect(await again.retention.run()).toMatchObject({ finished: { webhook_deliveries: 3, call_requests: 3 } });
    expect(again.webhooks.ids()).toEqual([pending]);
    expect(again.calls.ids()).toEqual([]);
  });
});

describe('EventRetention and the WAL: no checkpoint of its own, journal_size_limit gives the space back', () => {
  it('after a large write, a pass that deletes it in batches leaves the WAL under the limit', async () => {
    const dir = tempDataDir();
    const { store, retention } = retentionOf(dir, 500);
    const wal = () => fs.statSync(path.join(dir, `${ENGINE_DB_FILE}-wal`)).size;
    // About 24 MB of old events in one transaction (a burst, an import): the WAL grows to hold it.
    store.write(nothing, Array.from({ length: 6000 }, (_, i) => risk(OLD + i, 'x'.repeat(3500))));
    const grown = wal();
    expect(grown).toBeGreaterThan(2 * ENGINE_JOURNAL_SIZE_LIMIT);

    expect(await retention.run()).toMatchObject({ deleted: 6000 });
    // Each batch's commit lets SQLite's automatic checkpoint run; the first commit after it started the
    // log over and cut the file to the limit, and the batches after it stay within it.
    expect(wal()).toBeLessThanOrEqual(ENGINE_JOURNAL_SIZE_LIMIT);
    expect(store.oldestEvent()).toBeUndefined();
  });
});
