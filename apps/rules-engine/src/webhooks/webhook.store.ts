import Database from 'better-sqlite3';
import { z } from 'zod';
import { ALERT_CHANGES, type AlertChange } from '@hearthbeat/contracts';
import { openEngineDb } from '../store/engine-db';

export interface Webhook {
  id: string;
  site: string;
  url: string;
  secret: string;
  changes: AlertChange[];
  createdAt: number;
  createdBy: string;
  /** Every event up to this sequence number has been examined (and queued when it matched). */
  scanSeq: number;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'rejected'] as const;
/** `rejected`: the receiver refused this very payload (webhook.worker.ts); set aside until redelivered. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  webhookId: string;
  seq: number;
  alertId: string;
  change: AlertChange;
  status: DeliveryStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastAttemptAt?: number;
  lastError?: string;
  lastStatus?: number;
  deliveredAt?: number;
  /** The receiver's refusals of this payload in a row (PAYLOAD_REFUSALS, webhook.worker.ts). */
  refusals: number;
}

const webhookRow = z.object({
  id: z.string(),
  site: z.string(),
  url: z.string(),
  secret: z.string(),
  changes: z.string(),
  created_at: z.number(),
  created_by: z.string(),
  scan_seq: z.number(),
});
const deliveryRow = z.object({
  id: z.string(),
  webhook_id: z.string(),
  seq: z.number(),
  alert_id: z.string(),
  change: z.enum(ALERT_CHANGES),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  created_at: z.number(),
  next_attempt_at: z.number(),
  last_attempt_at: z.number().nullable(),
  last_error: z.string().nullable(),
  last_status: z.number().nullable(),
  delivered_at: z.number().nullable(),
  refusals: z.number(),
});
const changesSchema = z.array(z.enum(ALERT_CHANGES));

function toWebhook(raw: unknown): Webhook {
  const r = webhookRow.parse(raw);
  return { id: r.id, site: r.site, url: r.url, secret: r.secret, changes: changesSchema.parse(JSON.parse(r.changes)), createdAt: r.created_at, createdBy: r.created_by, scanSeq: r.scan_seq };
}

function toDelivery(raw: unknown): Delivery {
  const r = deliveryRow.parse(raw);
  const d: Delivery = { id: r.id, webhookId: r.webhook_id, seq: r.seq, alertId: r.alert_id, change: r.change, status: r.status, attempts: r.attempts, createdAt: r.created_at, nextAttemptAt: r.next_attempt_at, refusals: r.refusals };
  if (r.last_attempt_at !== null) d.lastAttemptAt = r.last_attempt_at;
  if (r.last_error !== null) d.lastError = r.last_error;
  if (r.last_status !== null) d.lastStatus = r.last_status;
  if (r.delivered_at !== null) d.deliveredAt = r.delivered_at;
  return d;
}

const DELIVERY_COLS = 'id, webhook_id, seq, alert_id, change, status, attempts, created_at, next_attempt_at, last_attempt_at, last_error, last_status, delivered_at, refusals';

/** The statuses a delivery never leaves by itself: delivered, or set aside (rejected) until an admin redelivers it. */
export const FINISHED_DELIVERY_STATUSES = ['delivered', 'rejected'] as const satisfies readonly DeliveryStatus[];
// When a delivery finished: delivered_at, or the attempt that set it aside (a rejected one has no delivered_at).
// The partial index and the pruning query must spell both the same way for SQLite to use the index.
const FINISHED = `status IN (${FINISHED_DELIVERY_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const FINISHED_AT = 'COALESCE(delivered_at, last_attempt_at)';

/**
 * Webhooks and their deliveries, in the engine's SQLite file. Deliveries are derived from the `events`
 * table by a cursor per webhook (`scan_seq`): matching alert changes become `pending` rows in the
 * same transaction that moves the cursor, so a restart neither loses nor duplicates a queued delivery.
 * The secret is kept in clear: signing needs it (it is never served back).
 */
export class WebhookStore {
  private readonly db: Database.Database;
  private readonly s: ReturnType<WebhookStore['prepare']>;

  constructor(dataDir: string) {
    this.db = openEngineDb(dataDir, 5000);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS webhooks (
        id TEXT PRIMARY KEY, site TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL, changes TEXT NOT NULL,
        created_at INTEGER NOT NULL, created_by TEXT NOT NULL, scan_seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, seq INTEGER NOT NULL, alert_id TEXT NOT NULL,
        change TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_attempt_at INTEGER,
        last_error TEXT, last_status INTEGER, delivered_at INTEGER);
      CREATE INDEX IF NOT EXISTS webhook_deliveries_queue ON webhook_deliveries(webhook_id, status, seq);
    `);
    // Files written before payload refusals were counted.
    const cols = z.array(z.object({ name: z.string() })).parse(this.db.prepare('PRAGMA table_info(webhook_deliveries)').all());
    if (!cols.some((c) => c.name === 'refusals')) this.db.exec('ALTER TABLE webhook_deliveries ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0');
    // The retention's way to the finished deliveries, oldest first (pending ones are not in it).
    this.db.exec(`CREATE INDEX IF NOT EXISTS webhook_deliveries_finished ON webhook_deliveries(${FINISHED_AT}) WHERE ${FINISHED}`);
    this.s = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      insertHook: db.prepare('INSERT INTO webhooks(id, site, url, secret, changes, created_at, created_by, scan_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      hooks: db.prepare('SELECT * FROM webhooks ORDER BY created_at, id'),
      hook: db.prepare('SELECT * FROM webhooks WHERE id = ?'),
      deleteHook: db.prepare('DELETE FROM webhooks WHERE id = ?'),
      deleteDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?'),
      setScan: db.prepare('UPDATE webhooks SET scan_seq = ? WHERE id = ?'),
      insertDelivery: db.prepare(`INSERT OR IGNORE INTO webhook_deliveries(id, webhook_id, seq, alert_id, change, body, status, created_at, next_attempt_at)
        VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`),
      nextPending: db.prepare(`SELECT ${DELIVERY_COLS}, body FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending' ORDER BY seq LIMIT 1`),
      delivered: db.prepare(`UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = ?, delivered_at = ?, last_status = ?, last_error = NULL WHERE id = ?`),
      failed: db.prepare('UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?, last_status = ?, last_error = ?, refusals = CASE WHEN ? THEN refusals + 1 ELSE 0 END WHERE id = ?'),
      rejected: db.prepare(`UPDATE webhook_deliveries SET status = 'rejected', attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_error = ?, refusals = refusals + 1 WHERE id = ?`),
      redeliver: db.prepare(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, refusals = 0 WHERE id = ? AND webhook_id = ? AND status = 'rejected'`),
      delivery: db.prepare(`SELECT ${DELIVERY_COLS} FROM webhook_deliveries WHERE id = ? AND webhook_id = ?`),
      rejectedCount: db.prepare(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND status = 'rejected'`),
      list: db.prepare(`SELECT ${DELIVERY_COLS} FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?`),
      listByStatus: db.prepare(`SELECT ${DELIVERY_COLS} FROM webhook_deliveries WHERE webhook_id = ? AND status = ? ORDER BY seq DESC LIMIT ?`),
      pendingCount: db.prepare(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending'`),
      allPending: db.prepare(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'`),
      pruneFinished: db.prepare(`DELETE FROM webhook_deliveries WHERE rowid IN (
        SELECT rowid FROM webhook_deliveries INDEXED BY webhook_deliveries_finished WHERE ${FINISHED} AND ${FINISHED_AT} < ? ORDER BY ${FINISHED_AT} LIMIT ?)`),
    };
  }

  create(w: Webhook): void {
    this.s.insertHook.run(w.id, w.site, w.url, w.secret, JSON.stringify(w.changes), w.createdAt, w.createdBy, w.scanSeq);
  }

  list(): Webhook[] {
    return this.s.hooks.all().map(toWebhook);
  }

  get(id: string): Webhook | undefined {
    const raw: unknown = this.s.hook.get(id);
    return raw === undefined ? undefined : toWebhook(raw);
  }

  delete(id: string): boolean {
    return this.db.transaction(() => {
      this.s.deleteDeliveries.run(id);
      return this.s.deleteHook.run(id).changes > 0;
    })();
  }

  /** Queues the matching events found up to `scanSeq` and moves the cursor there, atomically. */
  enqueue(webhookId: string, scanSeq: number, items: { id: string; seq: number; alertId: string; change: AlertChange; body: string; at: number }[]): void {
    this.db.transaction(() => {
      for (const d of items) this.s.insertDelivery.run(d.id, webhookId, d.seq, d.alertId, d.change, d.body, d.at, d.at);
      this.s.setScan.run(scanSeq, webhookId);
    })();
  }

  nextPending(webhookId: string): (Delivery & { body: string }) | undefined {
    const raw: unknown = this.s.nextPending.get(webhookId);
    if (raw === undefined) return undefined;
    return { ...toDelivery(raw), body: z.object({ body: z.string() }).parse(raw).body };
  }

  markDelivered(id: string, at: number, status: number): void {
    this.s.delivered.run(at, at, status, id);
  }

  markFailed(id: string, at: number, nextAttemptAt: number, status: number | null, error: string, refused = false): void {
    this.s.failed.run(at, nextAttemptAt, status, error.slice(0, 500), refused ? 1 : 0, id);
  }

  /** The receiver refused this payload for good: set aside (not retried), the queue moves on. */
  markRejected(id: string, at: number, status: number | null, error: string): void {
    this.s.rejected.run(at, status, error.slice(0, 500), id);
  }

  /** Puts a rejected delivery back in the queue (sent next, before later ones); undefined when there is none. */
  redeliver(webhookId: string, id: string, at: number): Delivery | undefined {
    const changed = this.s.redeliver.run(at, id, webhookId).changes > 0;
    return changed ? this.delivery(webhookId, id) : undefined;
  }

  delivery(webhookId: string, id: string): Delivery | undefined {
    const raw: unknown = this.s.delivery.get(id, webhookId);
    return raw === undefined ? undefined : toDelivery(raw);
  }

  rejectedCount(webhookId: string): number {
    return z.object({ n: z.number() }).parse(this.s.rejectedCount.get(webhookId)).n;
  }

  deliveries(webhookId: string, limit: number, status?: DeliveryStatus): Delivery[] {
    const rows = status ? this.s.listByStatus.all(webhookId, status, limit) : this.s.list.all(webhookId, limit);
    return rows.map(toDelivery);
  }

  pendingCount(webhookId?: string): number {
    const raw: unknown = webhookId === undefined ? this.s.allPending.get() : this.s.pendingCount.get(webhookId);
    return z.object({ n: z.number() }).parse(raw).n;
  }

  /**
   * Deletes, in one statement, at most `limit` deliveries that finished (delivered, or rejected: set
   * aside) before `before`, oldest first; a pending one is never deleted, however old. Returns how many
   * (fewer than `limit`: nothing more is due). The retention (HB_EVENTS_RETAIN_DAYS) calls it.
   */
  pruneFinished(before: number, limit: number): number {
    return this.s.pruneFinished.run(before, limit).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
