import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Alert, TimelineEntry } from '@hearthbeat/contracts';
import type { CoreEvent, DirtyState } from '@hearthbeat/rules-core';
import { GENESIS_HASH, canonicalJson, chainHash, lineText, type AlertAuditEntry, type AuditEntry, type MaintenanceAuditEntry } from './audit-chain';

export interface AuditHead {
  seq: number;
  hash: string;
}

const headRow = z.object({ seq: z.number(), hash: z.string() });
const lineRow = z.object({ seq: z.number(), prev_hash: z.string(), hash: z.string(), entry: z.string() });
const maxRow = z.object({ n: z.number().nullable() });

function alertEntry(a: Alert, e: TimelineEntry): AlertAuditEntry {
  return {
    kind: 'alert',
    alertId: a.id,
    site: a.site,
    rule: a.rule,
    subject: { type: a.subject.type, id: a.subject.id },
    n: e.n,
    at: e.at,
    by: e.by,
    action: e.action,
    ...(e.note !== undefined ? { note: e.note } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
  };
}

/**
 * The tamper-evident record: an append-only table in engine.sqlite where each row carries the hash of
 * the one before (audit-chain.ts). Alert timeline entries are appended by a step hook, inside the same
 * transaction as the engine step that made them, so the log holds every entry, in commit order, and a
 * step is in the log exactly when it is in the store. Maintenance check-ins are appended on the same
 * connection (one writer, synchronous), so they interleave in commit order too. Triggers refuse UPDATE
 * and DELETE: the chain would catch them anyway, but an honest mistake should fail loudly.
 */
export class AuditLog {
  private readonly s: ReturnType<AuditLog['prepare']>;

  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit_log (
        seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, n INTEGER, at INTEGER NOT NULL,
        entry TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS audit_log_ref ON audit_log(kind, ref, n);
      CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
    this.s = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      head: db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      maxN: db.prepare("SELECT MAX(n) AS n FROM audit_log WHERE kind = 'alert' AND ref = ?"),
      insert: db.prepare('INSERT INTO audit_log(seq, kind, ref, n, at, entry, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      after: db.prepare('SELECT seq, prev_hash, hash, entry FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?'),
      maintenance: db.prepare("SELECT seq, prev_hash, hash, entry FROM audit_log WHERE kind = 'maintenance' AND ref = ? ORDER BY seq DESC LIMIT ?"),
    };
  }

  head(): AuditHead {
    const row: unknown = this.s.head.get();
    return row === undefined ? { seq: 0, hash: GENESIS_HASH } : headRow.parse(row);
  }

  /**
   * The step hook (EngineStore.addStepHook): every timeline entry the step appended, in the order the
   * step made them. Events name the entry each change ended with; entries appended on the way (a
   * `triggered` before its `severity_raised`, a `condition_cleared` before its `resolved`) are taken
   * up to it, and whatever the events did not reach comes from the step's changed alerts.
   */
  readonly onStep = (dirty: DirtyState, events: readonly CoreEvent[]): void => {
    const final = new Map(dirty.alerts.map((a) => [a.id, a]));
    const logged = new Map<string, number>();
    const rows: AuditEntry[] = [];
    const take = (a: Alert, upTo: number): void => {
      let last = logged.get(a.id) ?? maxRow.parse(this.s.maxN.get(a.id)).n ?? -1;
      for (let n = last + 1; n <= upTo; n++) {
        const e = a.timeline[n];
        if (!e) break;
        rows.push(alertEntry(a, e));
        last = n;
      }
      logged.set(a.id, last);
    };
    for (const ev of events) if (ev.type === 'alert') take(final.get(ev.alert.id) ?? ev.alert, ev.entry.n);
    for (const a of dirty.alerts) take(a, a.timeline.length - 1);
    this.append(rows);
  };

  /** A maintenance check-in, in its own transaction; returns the line as exported. */
  appendMaintenance(entry: MaintenanceAuditEntry): { seq: number; hash: string; prevHash: string; entry: MaintenanceAuditEntry } {
    return this.db.transaction(() => {
      const [line] = this.append([entry]);
      if (!line) throw new Error('audit append wrote nothing');
      return { ...line, entry };
    })();
  }

  /**
   * An engine store that held alerts before the log existed (an upgrade): their timelines go in once,
   * oldest entry first, so the log starts complete. Later steps append only what is new.
   */
  backfill(alerts: () => readonly Alert[]): number {
    if (this.head().seq > 0) return 0;
    const entries = alerts().flatMap((a) => a.timeline.map((e) => ({ a, e })));
    entries.sort((x, y) => x.e.at - y.e.at || (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : x.e.n - y.e.n));
    this.db.transaction(() => this.append(entries.map(({ a, e }) => alertEntry(a, e))))();
    return entries.length;
  }

  /** Export lines after `seq`, in order (page by page). */
  linesAfter(seq: number, limit: number): { seq: number; text: string }[] {
    return this.s.after.all(seq, limit).map((raw) => {
      const r = lineRow.parse(raw);
      return { seq: r.seq, text: lineText({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, entryJson: r.entry }) };
    });
  }

  /** An elevator's maintenance check-ins, newest first. */
  maintenanceOf(elevatorId: string, limit: number): { seq: number; hash: string; entry: unknown }[] {
    return this.s.maintenance.all(elevatorId, limit).map((raw) => {
      const r = lineRow.parse(raw);
      return { seq: r.seq, hash: r.hash, entry: JSON.parse(r.entry) as unknown };
    });
  }

  /** Chains and inserts entries; the caller holds the transaction. */
  private append(entries: readonly AuditEntry[]): { seq: number; hash: string; prevHash: string }[] {
    if (entries.length === 0) return [];
    let { seq, hash } = this.head();
    const out: { seq: number; hash: string; prevHash: string }[] = [];
    for (const entry of entries) {
      const prevHash = hash;
      seq += 1;
      hash = chainHash(seq, prevHash, entry);
      const ref = entry.kind === 'alert' ? entry.alertId : entry.elevatorId;
      this.s.insert.run(seq, entry.kind, ref, entry.kind === 'alert' ? entry.n : null, entry.at, canonicalJson(entry), prevHash, hash);
      out.push({ seq, hash, prevHash });
    }
    return out;
  }
}
