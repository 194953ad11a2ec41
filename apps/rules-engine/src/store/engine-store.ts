import Database from 'better-sqlite3';
import { SEVERITY_RANK, type Alert } from '@hearthbeat/contracts';
import type { CoreEvent, CoreMeta, CoreSnapshot, DeviceState, DirtyState, SubjectState } from '@hearthbeat/rules-core';
import { AlertQueryRepo } from './alert-query';
import { CheckCallQueryRepo } from './check-call-query';

import { openEngineDb } from './engine-db';
import { recorded, type RecordedEvent, type SeqEvent } from './recorded-event';

export { ENGINE_DB_FILE } from './engine-db';
/** Resolved alerts are reloaded into the core for this long after resolution (cooldowns, repeats). */
export const RESOLVED_RELOAD_MS = 7 * 24 * 3600 * 1000;

/** Extra writes that must commit or roll back with each engine step (the audit chain); runs inside its transaction. */
export type StepHook = (dirty: DirtyState, events: readonly CoreEvent[]) => void;

/**
 * The engine's embedded store (SQLite under HB_DATA_DIR): the rules core's state as rows (one per
 * device, subject and alert, plus its meta row) and an append-only log of every core event, whose
 * oldest events the retention prunes (retention/event-retention.ts). A step (one message, one
 * deadline, one staff action) is written in one transaction. WAL with synchronous=NORMAL survives a
 * process crash (SIGKILL) without losing a committed transaction.
 */
export class EngineStore {
  private readonly db: Database.Database;
  private readonly s: ReturnType<EngineStore['prepare']>;
  /** Wall-clock cost of the last writes, for /metrics. */
  lastWriteMs = 0;
  /** Urgency-ordered, paged alert lists for the API. */
  readonly alertQuery: AlertQueryRepo;
  /** A resident's recent check-in calls, folded from the stored `check_call` events. */
  readonly checkCalls: CheckCallQueryRepo;
  private readonly stepHooks: StepHook[] = [];

  constructor(dataDir: string) {
    this.db = openEngineDb(dataDir);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS core_meta (id INTEGER PRIMARY KEY CHECK (id = 1), doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS subjects (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS alerts (
        id TEXT PRIMARY KEY, site TEXT NOT NULL, rule TEXT NOT NULL, state TEXT NOT NULL,
        subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, opened_at INTEGER NOT NULL,
        resolved_at INTEGER, doc TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS alerts_state ON alerts(state, site);
      CREATE INDEX IF NOT EXISTS alerts_subject ON alerts(subject_type, subject_id);
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, at INTEGER NOT NULL,
        site TEXT, alert_id TEXT, doc TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS events_alert ON events(alert_id, seq);
      CREATE INDEX IF NOT EXISTS events_site ON events(site, type, seq);
    `);
    // Stores written before alert events carried their site in the column (webhook cursors query by site).
    this.db.exec(`UPDATE events SET site = json_extract(doc, '$.alert.site') WHERE type = 'alert' AND site IS NULL`);
    AlertQueryRepo.migrate(this.db);
    this.alertQuery = new AlertQueryRepo(this.db);
    CheckCallQueryRepo.migrate(this.db);
    this.checkCalls = new CheckCallQueryRepo(this.db);
    this.s = this.prepare();
    this.tx = this.db.transaction((dirty: DirtyState, events: readonly CoreEvent[]): number[] => {
      if (dirty.meta) this.s.meta.run(JSON.stringify(dirty.meta));
      for (const d of dirty.devices) this.s.device.run(d.id, JSON.stringify(d));
      for (const sub of dirty.subjects) this.s.subject.run(`${sub.type}:${sub.id}`, JSON.stringify(sub));
      for (const a of dirty.alerts) {
        this.s.alert.run(a.id, a.site, a.rule, a.state, a.subject.type, a.subject.id, a.openedAt, a.resolvedAt ?? null, SEVERITY_RANK[a.severity], JSON.stringify(a));
      }
      const seqs: number[] = [];
      for (const e of events) {
        const alertId = e.type === 'alert' ? e.alert.id : null;
        const site = e.type === 'alert' ? e.alert.site : e.site;
        const info = this.s.event.run(e.type, e.at, site, alertId, JSON.stringify(recorded(e)));
        seqs.push(Number(info.lastInsertRowid));
      }
      for (const hook of this.stepHooks) hook(dirty, events);
      return seqs;
    });
    this.pruneTx = this.db.transaction((before: number, maxSeq: number, limit: number): number => {
      let upTo: number | undefined;
      for (const r of this.s.head.all(maxSeq, limit) as { seq: number; at: number }[]) {
        if (r.at >= before) break;
        upTo = r.seq;
      }
      return upTo === undefined ? 0 : this.s.dropThrough.run(upTo).changes;
    });
  }

  private prepare() {
    const db = this.db;
    return {
      meta: db.prepare('INSERT INTO core_meta(id, doc) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc'),
      device: db.prepare('INSERT INTO devices(id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc'),
      subject: db.prepare('INSERT INTO subjects(key, doc) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc'),
      alert: db.prepare(`INSERT INTO alerts(id, site, rule, state, subject_type, subject_id, opened_at, resolved_at, severity_rank, doc)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, resolved_at = excluded.resolved_at,
          severity_rank = excluded.severity_rank, doc = excluded.doc`),
      event: db.prepare('INSERT INTO events(type, at, site, alert_id, doc) VALUES (?, ?, ?, ?, ?)'),
      getMeta: db.prepare('SELECT doc FROM core_meta WHERE id = 1'),
      allDevices: db.prepare('SELECT doc FROM devices'),
      allSubjects: db.prepare('SELECT doc FROM subjects'),
      liveAlerts: db.prepare("SELECT doc FROM alerts WHERE state != 'resolved' OR resolved_at >= ? ORDER BY opened_at, id"),
      alertById: db.prepare('SELECT doc FROM alerts WHERE id = ?'),
      alerts: db.prepare('SELECT doc FROM alerts ORDER BY opened_at, id'),
      eventsAfter: db.prepare('SELECT seq, doc FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      siteEventsAfter: db.prepare('SELECT seq, doc FROM events WHERE site = ? AND type = ? AND seq > ? ORDER BY seq LIMIT ?'),
      // AUTOINCREMENT keeps the highest seq ever given in sqlite_sequence: still there once every event is pruned.
      lastSeq: db.prepare("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), COALESCE((SELECT MAX(seq) FROM events), 0)) AS seq"),
      firstSeq: db.prepare('SELECT MIN(seq) AS seq FROM events'),
      oldest: db.prepare('SELECT seq, at FROM events ORDER BY seq LIMIT 1'),
      head: db.prepare('SELECT seq, at FROM events WHERE seq <= ? ORDER BY seq LIMIT ?'),
      dropThrough: db.prepare('DELETE FROM events WHERE seq <= ?'),
    };
  }

  /** Registers writes that join every step's transaction (register before the first step). */
  addStepHook(hook: StepHook): void {
    this.stepHooks.push(hook);
  }

  /** The connection steps are written on: tables that must share a step's transaction use it. */
  get connection(): Database.Database {
    return this.db;
  }

  /** Writes one step's changed state and its events atomically; returns the events' sequence numbers. */
  write(dirty: DirtyState, events: readonly CoreEvent[]): number[] {
    const t0 = performance.now();
    const seqs = this.tx(dirty, events);
    this.lastWriteMs = performance.now() - t0;
    return seqs;
  }

  private readonly tx: (dirty: DirtyState, events: readonly CoreEvent[]) => number[];

  /** The core's state for a restart, or undefined on first start. */
  loadSnapshot(now: number): CoreSnapshot | undefined {
    const meta = this.s.getMeta.get() as { doc: string } | undefined;
    if (!meta) return undefined;
    return {
      meta: JSON.parse(meta.doc) as CoreMeta,
      devices: (this.s.allDevices.all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as DeviceState),
      subjects: (this.s.allSubjects.all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as SubjectState),
      alerts: (this.s.liveAlerts.all(now - RESOLVED_RELOAD_MS) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Alert),
    };
  }

  getAlert(id: string): Alert | undefined {
    const r = this.s.alertById.get(id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as Alert) : undefined;
  }

  allAlerts(): Alert[] {
    return (this.s.alerts.all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Alert);
  }

  /** Events after a sequence number, in order (resume for live clients and webhooks). */
  eventsAfter(seq: number, limit = 1000): SeqEvent[] {
    return (this.s.eventsAfter.all(seq, limit) as { seq: number; doc: string }[]).map((r) => ({ seq: r.seq, event: JSON.parse(r.doc) as RecordedEvent }));
  }

  /** Events of one type and site after a sequence number, in order (webhook cursors). */
  siteEventsAfter(site: string, type: CoreEvent['type'], seq: number, limit = 1000): SeqEvent[] {
    return (this.s.siteEventsAfter.all(site, type, seq, limit) as { seq: number; doc: string }[]).map((r) => ({ seq: r.seq, event: JSON.parse(r.doc) as RecordedEvent }));
  }

  /** The newest sequence number ever given (0 before the first event), pruned or not. */
  lastEventSeq(): number {
    return (this.s.lastSeq.get() as { seq: number }).seq;
  }

  /**
   * Every event up to this sequence number has been pruned (0 when none was): a reader resuming after
   * a lower seq would miss events. Pruning only ever removes the oldest events, so the rest is whole.
   */
  prunedThrough(): number {
    const first = (this.s.firstSeq.get() as { seq: number | null }).seq;
    return first === null ? this.lastEventSeq() : first - 1;
  }

  /** The oldest stored event's seq and time, if any. */
  oldestEvent(): { seq: number; at: number } | undefined {
    return this.s.oldest.get() as { seq: number; at: number } | undefined;
  }

  /**
   * Deletes, in one transaction, at most `limit` of the oldest events: those stored before `before`
   * (event time) and at or below `maxSeq`, from the first on, stopping at the first that is not. Only
   * a prefix of the log is ever removed, so whatever remains is complete from its first seq on.
   * Returns how many were deleted (fewer than `limit`: nothing more to do for these bounds).
   */
  pruneEvents(before: number, maxSeq: number, limit: number): number {
    return this.pruneTx(before, maxSeq, limit);
  }

  private readonly pruneTx: (before: number, maxSeq: number, limit: number) => number;

  close(): void {
    if (this.db.open) this.db.close();
  }
}
