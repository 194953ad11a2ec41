import { HttpReceiver, waitFor } from '@hearthbeat/testing';
import { OffsetClock } from '../src';
import { EventRetentionService } from '../src/retention/event-retention.service';
import { field, LiveClient } from './support/api.client';
import { startApiStack, type ApiStack } from './support/api.fixture';

const DAY = 24 * 3600 * 1000;

/**
 * The running engine (Nest wiring, real SQLite, HTTP, /ws) with its clock moved past the retention:
 * old events go, a webhook whose receiver is down loses nothing, /metrics counts, and a screen that
 * comes back from a pruned seq is told to reload.
 */
describe('events retention in the running engine', () => {
  let s: ApiStack;
  const clients: LiveClient[] = [];
  const receiver = new HttpReceiver();
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s?.stop();
  });

  it('prunes events older than HB_EVENTS_RETAIN_DAYS, counts them, resets a resume from a pruned seq, and the sequence goes on', async () => {
    // The webhook's receiver is down (a port reserved, then closed): its deliveries wait, carrying their own body.
    await receiver.listen();
    const down = receiver.port;
    await receiver.close();
    const clock = new OffsetClock();
    s = await startApiStack({ clock, env: { HB_EVENTS_RETAIN_DAYS: '1', HB_WEBHOOK_RETRY_BASE_MS: '60000' } });
    const created = await s.api.call('POST', '/api/sites/jiangsu-road/webhooks', { token: await s.token('admin'), body: { url: `http://127.0.0.1:${down}/hook`, secret: 'sixteen-chars-secret' } });
    expect(created.status).toBe(201);
    const wid = String(field(created.body, 'id'));

    const alarm = await s.stack.device('SA-0001');
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const alertId = await waitFor('the alarm', () => s.stack.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm')?.id);
    // Tokens expire as the clock moves two days: sign in at each look.
    const deliveries = async () => {
      s.forget('admin');
      return field((await s.api.call('GET', `/api/sites/jiangsu-road/webhooks/${wid}/deliveries`, { token: await s.token('admin') })).body, 'pending');
    };
    // Acknowledged, so that no reminder is due every few minutes of the skipped time.
    const staffBefore = await s.token('staff');
    expect((await s.api.call('POST', `/api/alerts/${alertId}/ack`, { token: staffBefore })).status).toBe(200);
    // Both changes (opened, acknowledged) wait in the webhook's queue, each with its own body.
    expect(await waitFor('the deliveries queued', async () => ((await deliveries()) === 2 ? 2 : undefined))).toBe(2);
    const store = s.stack.engine.runtime.engineStore;
    const before = store.lastEventSeq();
    expect(before).toBeGreaterThan(1);

    clock.skip(2 * DAY);
    const retention = s.stack.engine.app.get(EventRetentionService);
    const run = await retention.runOnce();
    expect(run).toMatchObject({ deleted: before, prunedThrough: before, heldBackBy: [] });
    expect(store.lastEventSeq()).toBe(before);
    expect(await deliveries()).toBe(2);

    const metrics = await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text();
    expect(metrics).toContain(`hb_engine_events_pruned_total ${before}`);
    expect(metrics).not.toMatch(/^hb_engine_events_prune_held_back\{/m);

    // A screen last seen at seq 1 (its token expired meanwhile: the clock moved two days).
    s.forget('staff');
    const staff = await s.token('staff');
    const back = await LiveClient.connect(s.port, `token=${staff}&since=1`);
    clients.push(back);
    expect(back.messages.map((m) => m['type'])).toEqual(['hello', 'reset', 'synced']);
    expect(back.messages[0]).toMatchObject({ seq: before });
    expect(back.messages[1]).toMatchObject({ type: 'reset', seq: before });
    expect(back.messages.filter((m) => m['type'] === 'alert')).toEqual([]);

    // The next event continues the sequence (AUTOINCREMENT's counter survived the empty table).
    expect((await s.api.call('POST', `/api/alerts/${alertId}/comment`, { token: staff, body: { text: 'checked again' } })).status).toBe(200);
    const commented = await back.next((m) => (m['type'] === 'alert' && m['change'] === 'commented' ? m : undefined), 'the comment pushed');
    // (The comment's step first fires the deadlines the two days passed, so it may not be the very next seq.)
    expect(store.eventsAfter(0)[0]?.seq).toBe(before + 1);
    expect(commented['seq']).toBe(store.lastEventSeq());
  });
});
