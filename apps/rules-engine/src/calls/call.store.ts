import Database from 'better-sqlite3';
import { z } from 'zod';
import { CALL_STEPS, checkInCallPolicySchema, type CallStep, type CheckInCallPolicy } from '@hearthbeat/contracts';
import { openEngineDb } from '../store/engine-db';

/** A site's check-in call settings: the rules' policy and how to reach its gateway. */
export interface CallGateway {
  site: string;
  policy: CheckInCallPolicy;
  url: string;
  secret: string;
  callbackBaseUrl?: string;
  updatedAt: number;
  updatedBy: string;
}

export const REQUEST_STATUSES = ['pending', 'sent', 'expired', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** The statuses a request never leaves: accepted by the gateway (sent), or closed unsent (expired, cancelled). */
export const FINISHED_REQUEST_STATUSES = ['sent', 'expired', 'cancelled'] as const satisfies readonly RequestStatus[];
// A request is done with once it left `pending` and its call's timeout (deadline) passed: until then a
// sent call awaits its answer. Requests closed before closed_at existed count from their deadline. The
// partial index and the pruning query must spell both the same way for SQLite to use the index.
const FINISHED = `status IN (${FINISHED_REQUEST_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const FINISHED_AT = 'MAX(deadline, COALESCE(sent_at, closed_at, deadline))';

export interface CallRequest {
  callId: string;
  alertId: string;
  site: string;
  step: CallStep;
  /** The `call_placed` event's sequence number. */
  seq: number;
  /** The request body without `callbackUrl` (added when sending: the engine's address may change). */
  template: string;
  status: RequestStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  /** The call's timeout: after it a request is pointless (the rules already counted it as not answered). */
  deadline: number;
  lastAttemptAt?: number;
  lastStatus?: number;
  lastError?: string;
  sentAt?: number;
  /** When it was closed unsent (expired, cancelled). */
  closedAt?: number;
}

const gatewayRow = z.object({
  site: z.string(),
  policy: z.string(),
  url: z.string(),
  secret: z.string(),
  callback_base_url: z.string().nullable(),
  updated_at: z.number(),
  updated_by: z.string(),
});
const requestRow = z.object({
  call_id: z.string(),
  alert_id: z.string(),
  site: z.string(),
  step: z.enum(CALL_STEPS),
  seq: z.number(),
  body: z.string(),
  status: z.enum(REQUEST_STATUSES),
  attempts: z.number(),
  created_at: z.number(),
  next_attempt_at: z.number(),
  deadline: z.number(),
  last_attempt_at: z.number().nullable(),
  last_status: z.number().nullable(),
  last_error: z.string().nullable(),
  sent_at: z.number().nullable(),
  closed_at: z.number().nullable(),
});
const count = z.object({ n: z.number() });

function toGateway(raw: unknown): CallGateway {
  const r = gatewayRow.parse(raw);
  const g: CallGateway = { site: r.site, policy: checkInCallPolicySchema.parse(JSON.parse(r.policy)), url: r.url, secret: r.secret, updatedAt: r.updated_at, updatedBy: r.updated_by };
  if (r.callback_base_url !== null) g.callbackBaseUrl = r.callback_base_url;
  return g;
}

function toRequest(raw: unknown): CallRequest {
  const r = requestRow.parse(raw);
  const q: CallRequest = {
    callId: r.call_id,
    alertId: r.alert_id,
    site: r.site,
    step: r.step,
    seq: r.seq,
    template: r.body,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    deadline: r.deadline,
  };
  if (r.last_attempt_at !== null) q.lastAttemptAt = r.last_attempt_at;
  if (r.last_status !== null) q.lastStatus = r.last_status;
  if (r.last_error !== null) q.lastError = r.last_error;
  if (r.sent_at !== null) q.sentAt = r.sent_at;
  if (r.closed_at !== null) q.closedAt = r.closed_at;
  return q;
}

/**
 * Check-in call settings per site and the queue of call requests, in engine.sqlite (like webhooks).
 * Requests are derived from the `events` table by a cursor (`call_cursor`): each `call_placed` change
 * becomes a `pending` row in the transaction that moves the cursor, so a restart neither loses nor
 * repeats a queued request. The gateway secret is kept in clear (signing needs it), never served back.
 */
export class CallStore {
  private readonly db: Database.Database;
  private readonly s: ReturnType<CallStore['prepare']>;

  constructor(dataDir: string) {
    this.db = openEngineDb(dataDir, 5000);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS call_gateways (
        site TEXT PRIMARY KEY, policy TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,
        callback_base_url TEXT, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS call_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), scan_seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS call_requests (
        call_id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, site TEXT NOT NULL, step TEXT NOT NULL, seq INTEGER NOT NULL,
        body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL, deadline INTEGER NOT NULL, last_attempt_at INTEGER, last_status INTEGER,
        last_error TEXT, sent_at INTEGER, closed_at INTEGER);
      CREATE INDEX IF NOT EXISTS call_requests_due ON call_requests(status, next_attempt_at);
    `);
    // Files written before closed requests carried their closing time.
    const cols = z.array(z.object({ name: z.string() })).parse(this.db.prepare('PRAGMA table_info(call_requests)').all());
    if (!cols.some((c) => c.name === 'closed_at')) this.db.exec('ALTER TABLE call_requests ADD COLUMN closed_at INTEGER');
    // The retention's way to the finished requests, oldest first (pending ones are not in it).
    this.db.exec(`CREATE INDEX IF NOT EXISTS call_requests_finished ON call_requests(${FINISHED_AT}) WHERE ${FINISHED}`);
    this.s = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      putGateway: db.prepare(`INSERT INTO call_gateways(site, policy, url, secret, callback_base_url, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(site) DO UPDATE SET policy = excluded.policy, url = excluded.url, secret = excluded.secret,
          callback_base_url = excluded.callback_base_url, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
      gateway: db.prepare('SELECT * FROM call_gateways WHERE site = ?'),
      gateways: db.prepare('SELECT * FROM call_gateways ORDER BY site'),
      deleteGateway: db.prepare('DELETE FROM call_gateways WHERE site = ?'),
      initCursor: db.prepare('INSERT OR IGNORE INTO call_cursor(id, scan_seq) VALUES (1, ?)'),
      cursor: db.prepare('SELECT scan_seq AS n FROM call_cursor WHERE id = 1'),
      setCursor: db.prepare('UPDATE call_cursor SET scan_seq = ? WHERE id = 1'),
      insert: db.prepare(`INSERT OR IGNORE INTO call_requests(call_id, alert_id, site, step, seq, body, status, created_at, next_attempt_at, deadline)
        VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`),
      request: db.prepare('SELECT * FROM call_requests WHERE call_id = ?'),
      due: db.prepare("SELECT * FROM call_requests WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?"),
      nextDue: db.prepare("SELECT MIN(next_attempt_at) AS n FROM call_requests WHERE status = 'pending'"),
      sent: db.prepare("UPDATE call_requests SET status = 'sent', attempts = attempts + 1, last_attempt_at = ?, sent_at = ?, last_status = ?, last_error = NULL WHERE call_id = ?"),
      failed: db.prepare('UPDATE call_requests SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?, last_status = ?, last_error = ? WHERE call_id = ?'),
      closeRequest: db.prepare('UPDATE call_requests SET status = ?, last_error = ?, closed_at = ? WHERE call_id = ?'),
      pending: db.prepare("SELECT COUNT(*) AS n FROM call_requests WHERE status = 'pending' AND site = ?"),
      recent: db.prepare('SELECT * FROM call_requests WHERE site = ? ORDER BY seq DESC LIMIT ?'),
      pruneFinished: db.prepare(`DELETE FROM call_requests WHERE rowid IN (
        SELECT rowid FROM call_requests INDEXED BY call_requests_finished WHERE ${FINISHED} AND ${FINISHED_AT} < ? ORDER BY ${FINISHED_AT} LIMIT ?)`),
    };
  }

  putGateway(g: CallGateway): void {
    this.s.putGateway.run(g.site, JSON.stringify(g.policy), g.url, g.secret, g.callbackBaseUrl ?? null, g.updatedAt, g.updatedBy);
  }

  gateway(site: string): CallGateway | undefined {
    const raw: unknown = this.s.gateway.get(site);
    return raw === undefined ? undefined : toGateway(raw);
  }

  deleteGateway(site: string): boolean {
    return this.s.deleteGateway.run(site).changes > 0;
  }

  /** The policies of every configured site, by site id (buildCoreRegistry's `checkInCall`). */
  policies(): Record<string, CheckInCallPolicy> {
    return Object.fromEntries(this.s.gateways.all().map((raw) => toGateway(raw)).map((g) => [g.site, g.policy]));
  }

  /** Starts the cursor at `seq` unless it exists (a first start scans no history). */
  initCursor(seq: number): void {
    this.s.initCursor.run(seq);
  }

  cursor(): number {
    const raw: unknown = this.s.cursor.get();
    return raw === undefined ? 0 : count.parse(raw).n;
  }

  /** Queues the requests found up to `scanSeq` and moves the cursor there, atomically. */
  enqueue(scanSeq: number, items: readonly Omit<CallRequest, 'status' | 'attempts' | 'nextAttemptAt'>[]): void {
    this.db.transaction(() => {
      for (const q of items) this.s.insert.run(q.callId, q.alertId, q.site, q.step, q.seq, q.template, q.createdAt, q.createdAt, q.deadline);
      this.s.setCursor.run(scanSeq);
    })();
  }

  request(callId: string): CallRequest | undefined {
    const raw: unknown = this.s.request.get(callId);
    return raw === undefined ? undefined : toRequest(raw);
  }

  due(now: number, limit: number): CallRequest[] {
    return this.s.due.all(now, limit).map(toRequest);
  }

  nextDueAt(): number | undefined {
    const raw: unknown = this.s.nextDue.get();
    return z.object({ n: z.number().nullable() }).parse(raw).n ?? undefined;
  }

  markSent(callId: string, at: number, status: number): void {
    this.s.sent.run(at, at, status, callId);
  }

  markFailed(callId: string, at: number, nextAttemptAt: number, status: number | null, error: string): void {
    this.s.failed.run(at, nextAttemptAt, status, error.slice(0, 500), callId);
  }

  /** No longer worth sending: the call timed out (expired) or is no longer awaited (cancelled). */
  closeRequest(callId: string, status: 'expired' | 'cancelled', why: string, at: number): void {
    this.s.closeRequest.run(status, why, at, callId);
  }

  pendingCount(site: string): number {
    return count.parse(this.s.pending.get(site)).n;
  }

  recent(site: string, limit: number): CallRequest[] {
    return this.s.recent.all(site, limit).map(toRequest);
  }

  /**
   * Deletes, in one statement, at most `limit` requests finished before `before`, oldest first: sent
   * or closed unsent, counted from the later of that and the call's timeout (a sent call may be answered
   * until then). A pending request is never deleted, however old. Returns how many (fewer than `limit`:
   * nothing more is due). The retention (HB_EVENTS_RETAIN_DAYS) calls it.
   */
  pruneFinished(before: number, limit: number): number {
    return this.s.pruneFinished.run(before, limit).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
