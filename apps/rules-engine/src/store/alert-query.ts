import type Database from 'better-sqlite3';
import { z } from 'zod';
import { SEVERITY_RANK, type Alert, type AlertState, type Severity, type SubjectType } from '@hearthbeat/contracts';

/** Position in the urgency order: unresolved first, then severity (highest first), then age (oldest first), then id. */
export type AlertKey = [resolved: 0 | 1, severityRank: number, openedAt: number, id: string];

export interface AlertQuery {
  states?: readonly AlertState[];
  /** undefined: every site. */
  sites?: readonly string[];
  rule?: string;
  severity?: Severity;
  subjectType?: SubjectType;
  subjectId?: string;
  /** Opened at or after (epoch ms). */
  since?: number;
  after?: AlertKey;
  limit: number;
}

const keySchema = z.tuple([z.union([z.literal(0), z.literal(1)]), z.int().min(0).max(3), z.int(), z.string().max(200)]);

export function alertKey(a: Alert): AlertKey {
  return [a.state === 'resolved' ? 1 : 0, SEVERITY_RANK[a.severity], a.openedAt, a.id];
}

/** Opaque paging cursor: the urgency key of the last alert of a page. */
export function encodeCursor(key: AlertKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): AlertKey | undefined {
  try {
    const parsed = keySchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Alert lists straight from the store, which holds every alert the core ever had (written in the same
 * transaction as the step that changed it), ordered by urgency with keyset paging, so that a page is
 * one index walk however old the history.
 */
export class AlertQueryRepo {
  constructor(private readonly db: Database.Database) {}

  /** Adds the severity column to a store written before it existed (one-off, at open). */
  static migrate(db: Database.Database): void {
    const cols = z.array(z.object({ name: z.string() })).parse(db.prepare('PRAGMA table_info(alerts)').all());
    if (cols.some((c) => c.name === 'severity_rank')) return;
    db.exec(`
      ALTER TABLE alerts ADD COLUMN severity_rank INTEGER NOT NULL DEFAULT 0;
      UPDATE alerts SET severity_rank = CASE json_extract(doc, '$.severity')
        WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END;
    `);
    db.exec(`CREATE INDEX IF NOT EXISTS alerts_urgency ON alerts((state = 'resolved'), severity_rank DESC, opened_at, id)`);
  }

  query(q: AlertQuery): Alert[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const inList = (col: string, values: readonly string[]) => {
      where.push(values.length ? `${col} IN (${values.map(() => '?').join(',')})` : '0');
      params.push(...values);
    };
    if (q.states) inList('state', q.states);
    if (q.sites) inList('site', q.sites);
    const eq = (col: string, value: string | number | undefined, op = '=') => {
      if (value === undefined) return;
      where.push(`${col} ${op} ?`);
      params.push(value);
    };
    eq('rule', q.rule);
    eq('severity_rank', q.severity === undefined ? undefined : SEVERITY_RANK[q.severity]);
    eq('subject_type', q.subjectType);
    eq('subject_id', q.subjectId);
    eq('opened_at', q.since, '>=');
    if (q.after) {
      const [r, sev, opened, id] = q.after;
      where.push(`((state = 'resolved') > ? OR ((state = 'resolved') = ? AND (severity_rank < ? OR (severity_rank = ? AND (opened_at > ? OR (opened_at = ? AND id > ?))))))`);
      params.push(r, r, sev, sev, opened, opened, id);
    }
    const sql = `SELECT doc FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY (state = 'resolved'), severity_rank DESC, opened_at, id LIMIT ?`;
    params.push(q.limit);
    const rows = z.array(z.object({ doc: z.string() })).parse(this.db.prepare(sql).all(...params));
    return rows.map((r) => JSON.parse(r.doc) as Alert);
  }
}
