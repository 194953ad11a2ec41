import type { Alert } from '@hearthbeat/contracts';
import type { AlertEvent, CoreEvent } from '@hearthbeat/rules-core';
import { tempDir } from '@hearthbeat/testing';
import { callConsumer } from '../calls/call.dispatcher';
import { CallStore } from '../calls/call.store';
import { CallWorker } from '../calls/call.worker';
import { LiveSession } from '../live/live-session';
import { EngineStore } from '../store/engine-store';
import { webhookConsumer } from '../webhooks/webhook.dispatcher';
import { WebhookStore, type Webhook } from '../webhooks/webhook.store';
import { WebhookWorker } from '../webhooks/webhook.worker';
import { EventRetention, type EventConsumer, type RetentionRun } from './event-retention';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2025, 10, 20, 6, 0, 0);
const OLD = NOW - 100 * DAY;
const RECENT = NOW - 10 * DAY;
const nothing = { devices: [], subjects: [], alerts: [] };

const risk = (at: number, site = 'a'): CoreEvent => ({ type: 'risk', at, subject: { type: 'resident', id: 'R-1' }, site, colour: 'red', previous: 'green', reason: '' });
const opened = (id: string, at: number, site = 'a'): AlertEvent => ({
  type: 'alert',
  change: 'opened',
  at,
  alert: { id, site, rule: 'smoke.alarm', state: 'open', severity: 'critical', subject: { type: 'resident', id: 'R-1' }, openedAt: at, lastSeenAt: at, count: 1, reason: 'r', escalationLevel: 0, timeline: [] } satisfies Alert,
  entry: { n: 0, at, by: 'system', action: 'opened' },
});

/** A retention over a real store with a movable clock; `pruned` lists each committed batch. */
function retentionOf(store: EngineStore, consumers: () => EventConsumer[] = () => [], batchSize = 500) {
  const clock = { t: NOW, now: () => clock.t };
  const pruned: number[] = [];
  const runs: RetentionRun[] = [];
  const retention = new EventRetention({
    store,
    clock,
    retainMs: 90 * DAY,
    consumers,
    onPruned: (n) => pruned.push(n),
    onRun: (r) => runs.push(r),
    onError: (err) => {
      throw err;
    },
    batchSize,
  });
  return { retention, clock, pruned, runs };
}

const seqs = (store: EngineStore) => store.eventsAfter(0).map((e) => e.seq);

/** A delivery worker's timings and sender for these tests: nothing is ever sent (only scans matter). */
const IDLE = {
  clock: { now: () => NOW },
  send: () => Promise.reject(new Error('not started: nothing is sent')),
  retryBaseMs: 1000,
  retryMaxMs: 1000,
  timeoutMs: 1000,
  onAttempt: () => undefined,
};

describe('EventRetention: the events table on a real SQLite file', () => {
  it('deletes the events older than the retention, oldest first in bounded batches, and keeps the recent ones', async () => {
    const store = new EngineStore(tempDir('retention'));
    for (let i = 0; i < 7; i++) store.write(nothing, [risk(OLD + i * 1000)]);
    for (let i = 0; i < 3; i++) store.write(nothing, [risk(RECENT + i * 1000)]);
    const { retention, clock, pruned, runs } = retentionOf(store, () => [], 3);

    const run = await retention.run();
    expect(run).toEqual({ cutoff: NOW - 90 * DAY, deleted: 7, prunedThrough: 7, heldBackBy: [] });
    expect(pruned).toEqual([3, 3, 1]);
    expect(runs).toEqual([run]);
    expect(seqs(store)).toEqual([8, 9, 10]);

    // Nothing more is due until the clock moves; then the next oldest go.
    expect((await retention.run()).deleted).toBe(0);
    clock.t = RECENT + 90 * DAY + 1500;
    expect((await retention.run()).deleted).toBe(2);
    expect(seqs(store)).toEqual([10]);
    store.close();
  });

  it('keeps lastEventSeq after pruning everything: new events continue the sequence, also after a restart', async () => {
    const dir = tempDir('retention-seq');
    const store = new EngineStore(dir);
    store.write(nothing, [risk(OLD), risk(OLD + 1)]);
    store.write(nothing, [risk(OLD + 2)]);
    const { retention } = retentionOf(store);
    expect((await retention.run()).deleted).toBe(3);
    expect(seqs(store)).toEqual([]);
    expect(store.lastEventSeq()).toBe(3);
    expect(store.prunedThrough()).toBe(3);
    store.close();

    const reopened = new EngineStore(dir);
    expect(reopened.lastEventSeq()).toBe(3);
    expect(reopened.prunedThrough()).toBe(3);
    expect(reopened.write(nothing, [risk(NOW)])).toEqual([4]);
    expect(reopened.lastEventSeq()).toBe(4);
    expect(reopened.prunedThrough()).toBe(3);
    reopened.close();
  });

  it('never deletes what a webhook has not taken: a stuck worker holds pruning back and is named; once it catches up its deliveries are queued and the rest goes', async () => {
    const dir = tempDir('retention-webhook');
    const store = new EngineStore(dir);
    const hooks = new WebhookStore(dir);
    store.write(nothing, [opened('AL-1', OLD)]); // 1: already taken by the webhook
    store.write(nothing, [risk(OLD + 1)]); // 2
    store.write(nothing, [opened('AL-2', OLD + 2)]); // 3: not taken yet
    store.write(nothing, [risk(OLD + 3)]); // 4
    store.write(nothing, [risk(RECENT)]); // 5
    const hook: Webhook = { id: 'wh_1', site: 'a', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened'], createdAt: 0, createdBy: 'admin', scanSeq: 2 };
    hooks.create(hook);
    const errors: unknown[] = [];
    const worker = (events: ConstructorParameters<typeof WebhookWorker>[1]['events']) =>
      new WebhookWorker(hooks.get('wh_1') ?? hook, {
        store: hooks,
        events,
        ...IDLE,
        rejectAfter: 3,
        onError: (err) => errors.push(err),
      });
    // Its scan keeps failing (a worker stuck since seq 2).
    const stuck = worker({ lastEventSeq: () => store.lastEventSeq(), siteEventsAfter: () => { throw new Error('disk I/O error'); } });
    let consumers = [webhookConsumer(hooks, 'wh_1', stuck)];
    const { retention } = retentionOf(store, () => consumers);

    const held = await retention.run();
    expect(held).toMatchObject({ deleted: 2, prunedThrough: 2, oldestDue: { seq: 3, at: OLD + 2 }, heldBackBy: [{ name: 'webhook:wh_1', through: 2 }] });
    expect(seqs(store)).toEqual([3, 4, 5]);
    expect(errors).toEqual([new Error('disk I/O error')]);

    // Fixed: asked before the next pass, it queues AL-2's delivery, and then the old events go.
    consumers = [webhookConsumer(hooks, 'wh_1', worker(store))];
    const freed = await retention.run();
    expect(freed).toEqual({ cutoff: NOW - 90 * DAY, deleted: 2, prunedThrough: 4, heldBackBy: [] });
    expect(seqs(store)).toEqual([5]);
    expect(hooks.get('wh_1')?.scanSeq).toBe(5);
    expect(hooks.deliveries('wh_1', 10).map((d) => [d.seq, d.alertId, d.status])).toEqual([[3, 'AL-2', 'pending']]);
    hooks.close();
    store.close();
  });

  it('a webhook of a quiet site (its worker never woken) is caught up and does not hold pruning back', async () => {
    const dir = tempDir('retention-quiet');
    const store = new EngineStore(dir);
    const hooks = new WebhookStore(dir);
    const hook: Webhook = { id: 'wh_q', site: 'quiet', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened'], createdAt: 0, createdBy: 'admin', scanSeq: 0 };
    hooks.create(hook);
    for (let i = 0; i < 4; i++) store.write(nothing, [opened(`AL-${i}`, OLD + i, 'busy')]);
    const idle = new WebhookWorker(hook, {
      store: hooks,
      events: store,
      ...IDLE,
      rejectAfter: 3,
      onError: (err) => {
        throw err;
      },
    });
    const { retention } = retentionOf(store, () => [webhookConsumer(hooks, 'wh_q', idle)]);
    expect(await retention.run()).toMatchObject({ deleted: 4, heldBackBy: [] });
    expect(hooks.get('wh_q')?.scanSeq).toBe(4);
    hooks.close();
    store.close();
  });

  it('the call worker\'s cursor holds pruning back while its scan fails, and the lowest cursor of all consumers wins', async () => {
    const dir = tempDir('retention-calls');
    const store = new EngineStore(dir);
    const calls = new CallStore(dir);
    const hooks = new WebhookStore(dir);
    for (let i = 0; i < 5; i++) store.write(nothing, [risk(OLD + i)]);
    calls.initCursor(1);
    hooks.create({ id: 'wh_2', site: 'a', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened'], createdAt: 0, createdBy: 'admin', scanSeq: 3 });
    let poisoned = true;
    const worker = new CallWorker({
      store: calls,
      events: store,
      ...IDLE,
      // An event it cannot render stops its scan (a bug): the cursor stays at 1.
      render: () => {
        if (poisoned) throw new Error('cannot render');
        return undefined;
      },
      callbackUrl: () => 'http://engine/cb',
      awaited: () => true,
      onError: () => undefined,
    });
    // The webhook has no running worker here: its stored cursor (3) counts as it is.
    const { retention } = retentionOf(store, () => [callConsumer(calls, worker), webhookConsumer(hooks, 'wh_2')]);

    expect(await retention.run()).toMatchObject({ deleted: 1, prunedThrough: 1, oldestDue: { seq: 2 }, heldBackBy: [{ name: 'calls', through: 1 }] });
    poisoned = false;
    expect(await retention.run()).toMatchObject({ deleted: 2, prunedThrough: 3, oldestDue: { seq: 4 }, heldBackBy: [{ name: 'webhook:wh_2', through: 3 }] });
    expect(calls.cursor()).toBe(5);
    calls.close();
    hooks.close();
    store.close();
  });

  it('a live client resuming from a pruned seq gets reset and goes on from the newest event; one from a kept seq gets the rest', async () => {
    const store = new EngineStore(tempDir('retention-live'));
    for (let i = 0; i < 4; i++) store.write(nothing, [risk(OLD + i)]);
    store.write(nothing, [risk(RECENT)]);
    store.write(nothing, [risk(RECENT + 1)]);
    await retentionOf(store).retention.run();
    const resume = async (since: number) => {
      const sent: Record<string, unknown>[] = [];
      const session = new LiveSession({
        replay: (after, limit) => store.eventsAfter(after, limit),
        lastSeq: () => store.lastEventSeq(),
        prunedThrough: () => store.prunedThrough(),
        visible: () => true,
        send: (m) => sent.push(m),
        drained: () => Promise.resolve(),
      });
      await session.start(since);
      return sent.map((m) => `${String(m['type'])} ${String(m['seq'])}`);
    };
    expect(await resume(2)).toEqual(['reset 6', 'synced 6']);
    expect(await resume(4)).toEqual(['risk 5', 'risk 6', 'synced 6']);
    store.close();
  });

  it('stop() ends the periodic passes; a pass started by the timer reports a failure instead of throwing', async () => {
    const store = new EngineStore(tempDir('retention-timer'));
    store.write(nothing, [risk(OLD)]);
    const failures: unknown[] = [];
    let passes = 0;
    const retention = new EventRetention({
      store,
      clock: { now: () => NOW },
      retainMs: 90 * DAY,
      consumers: () => [{ name: 'broken', consumedThrough: () => { throw new Error('cursor unreadable'); } }],
      onPruned: () => undefined,
      onRun: () => passes++,
      onError: (err) => failures.push(err),
      intervalMs: 3600 * 1000,
    });
    retention.start();
    // The first pass runs on the next timer turn.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await retention.stop();
    expect(failures).toEqual([new Error('cursor unreadable')]);
    expect(passes).toBe(0);
    expect(seqs(store)).toEqual([1]);
    store.close();
  });
});
