import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { builtEntry } from '@hearthbeat/testing';
import { CallStore } from '../src/calls/call.store';
import { EventRetention } from '../src/retention/event-retention';
import { EngineStore, ENGINE_DB_FILE } from '../src/store/engine-store';
import { WebhookStore } from '../src/webhooks/webhook.store';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2025, 10, 20, 6, 0, 0);
const OLD = NOW - 100 * DAY;
const RECENT = NOW - 10 * DAY;
const BATCH = 50;
const OLD_DELIVERED = 4000;
const OLD_CALLS = 1000;

/**
 * A retention pass in its own process (the built engine's classes), killed with SIGKILL while it deletes
 * finished webhook deliveries batch after batch: the file must open clean, every pending and recent row
 * be there, only whole batches be gone, and the next pass delete the rest.
 */
describe('a retention pass killed (SIGKILL) in the middle', () => {
  let dir: string;
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  /** The pass, in a child: a line per committed batch, and a short pause after each so the kill lands mid-pass. */
  const child = (dist: string) => `
    const { EngineStore } = require(${JSON.stringify(path.join(dist, 'store/engine-store.js'))});
    const { WebhookStore } = require(${JSON.stringify(path.join(dist, 'webhooks/webhook.store.js'))});
    const { CallStore } = require(${JSON.stringify(path.join(dist, 'calls/call.store.js'))});
    const { EventRetention } = require(${JSON.stringify(path.join(dist, 'retention/event-retention.js'))});
    const dir = process.argv[1];
    const hooks = new WebhookStore(dir);
    const calls = new CallStore(dir);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    new EventRetention({
      store: new EngineStore(dir),
      clock: { now: () => ${NOW} },
      retainMs: ${90 * DAY},
      consumers: () => [],
      finished: [
        { table: 'webhook_deliveries', pruneFinished: (b, l) => hooks.pruneFinished(b, l) },
        { table: 'call_requests', pruneFinished: (b, l) => calls.pruneFinished(b, l) },
      ],
      onPruned: (n, table) => {
        process.stdout.write(table + ' ' + n + '\\n');
        Atomics.wait(pause, 0, 0, 5);
      },
      onRun: () => process.stdout.write('done\\n'),
      onError: (err) => { throw err; },
      batchSize: ${BATCH},
    }).run();
  `;

  it('leaves a sound file with whole batches deleted and every pending row; the next pass finishes the job', async () => {
    const main = builtEntry(ROOT, 'apps/rules-engine', 'retention/event-retention.js');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-retention-kill-'));
    const hooks = new WebhookStore(dir);
    const calls = new CallStore(dir);
    hooks.create({ id: 'wh_1', site: 'a', url: 'http://receiver', secret: 'sixteen-chars-secret', changes: ['opened'], createdAt: 0, createdBy: 'admin', scanSeq: 0 });
    calls.initCursor(0);
    const deliveries = (n: number, at: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `wh_1-${from + i}`, seq: from + i, alertId: `AL-${from + i}`, change: 'opened' as const, body: JSON.stringify({ pad: 'x'.repeat(300) }), at }));
    hooks.enqueue('wh_1', 0, deliveries(OLD_DELIVERED, OLD, 1));
    for (let i = 1; i <= OLD_DELIVERED; i++) hooks.markDelivered(`wh_1-${i}`, OLD + i, 200);
    // Pending for ever (a receiver down), and delivered recently: neither may go.
    hooks.enqueue('wh_1', 0, deliveries(300, OLD - 365 * DAY, 10_001));
    hooks.enqueue('wh_1', 0, deliveries(50, RECENT, 20_001));
    for (let i = 20_001; i <= 20_050; i++) hooks.markDelivered(`wh_1-${i}`, RECENT, 200);
    const request = (i: number, at: number) => ({ callId: `C-${i}`, alertId: `AL-${i}`, site: 'a', step: 'resident' as const, seq: i, template: '{}', createdAt: at, deadline: at + 120_000 });
    calls.enqueue(0, Array.from({ length: OLD_CALLS }, (_, i) => request(i + 1, OLD)));
    for (let i = 1; i <= OLD_CALLS; i++) calls.markSent(`C-${i}`, OLD + 1000, 202);
    calls.enqueue(0, Array.from({ length: 100 }, (_, i) => request(5001 + i, OLD - 365 * DAY)));
    hooks.close();
    calls.close();

    const proc = spawn(process.execPath, ['-e', child(path.resolve(path.dirname(main), '..')), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    // Killed as soon as it reports its tenth batch of deliveries (it pauses after each: the pass is far from done).
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').filter((l) => l.startsWith('webhook_deliveries')).length >= 10) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const signal = await exited;
    if (signal !== 'SIGKILL') throw new Error(`the pass ended before it was killed: ${out}`);
    expect(out).not.toContain('done');

    const raw = new Database(path.join(dir, ENGINE_DB_FILE));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (sql: string) => Number(raw.prepare(sql).pluck().get());
    const oldDelivered = count(`SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered' AND delivered_at < ${RECENT}`);
    const oldSent = count(`SELECT COUNT(*) FROM call_requests WHERE status = 'sent'`);
    raw.close();
    // Killed mid-pass: some batches gone, some not, and never part of one.
    expect(oldDelivered).toBeGreaterThan(0);
    expect(oldDelivered).toBeLessThanOrEqual(OLD_DELIVERED - 10 * BATCH);
    expect((OLD_DELIVERED - oldDelivered) % BATCH).toBe(0);
    expect((OLD_CALLS - oldSent) % BATCH).toBe(0);

    const store = new EngineStore(dir);
    const reopened = { hooks: new WebhookStore(dir), calls: new CallStore(dir) };
    try {
      expect(reopened.hooks.pendingCount('wh_1')).toBe(300);
      expect(reopened.calls.pendingCount('a')).toBe(100);
      const run = await new EventRetention({
        store,
        clock: { now: () => NOW },
        retainMs: 90 * DAY,
        consumers: () => [],
        finished: [
          { table: 'webhook_deliveries', pruneFinished: (b, l) => reopened.hooks.pruneFinished(b, l) },
          { table: 'call_requests', pruneFinished: (b, l) => reopened.calls.pruneFinished(b, l) },
        ],
        onPruned: () => undefined,
        onRun: () => undefined,
        onError: (err) => {
          throw err;
        },
      }).run();
      expect(run.finished).toEqual({ webhook_deliveries: oldDelivered, call_requests: oldSent });
      const left = reopened.hooks.deliveries('wh_1', 100_000);
      expect(left.filter((d) => d.status === 'pending')).toHaveLength(300);
      expect(left.filter((d) => d.status === 'delivered').map((d) => d.deliveredAt)).toEqual(Array(50).fill(RECENT));
      expect(reopened.calls.recent('a', 100_000).map((q) => q.status)).toEqual(Array(100).fill('pending'));
    } finally {
      reopened.hooks.close();
      reopened.calls.close();
      store.close();
    }
  });
});
