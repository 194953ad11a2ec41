import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CALL_RESULTS, type CallResult } from '@hearthbeat/contracts';

/** One check-in call a rule placed before any alert, folded from its `check_call` events (placed, result, late). */
export interface CheckCallView {
  callId: string;
  placedAt: number;
  timeoutAt: number;
  /** Why the resident was rung (the `placed` event's reason, in the site's time). */
  reason: string;
  /** The gateway's answer, or `no_answer` with `timedOut` when none came by `timeoutAt`; absent while it rings. */
  result?: CallResult;
  timedOut?: boolean;
  resultAt?: number;
  /** An answer that came after the call was settled or superseded: recorded, never acted on. */
  late?: { result: CallResult; at: number };
}

// The expressions must read exactly as in the index for SQLite to use it.
const SUBJECT = "json_extract(doc, '$.subject.id')";
const CHANGE = "json_extract(doc, '$.change')";
/** The two reads (exported for the test that checks they walk the index). */
export const CHECK_CALL_SQL = {
  /** The seq of the resident's last N placements, newest first. */
  latest: `SELECT seq FROM events WHERE type = 'check_call' AND ${SUBJECT} = ? AND ${CHANGE} = 'placed' ORDER BY seq DESC LIMIT ?`,
  /** Every event of the resident's calls from a seq on, in order. */
  since: `SELECT doc FROM events WHERE type = 'check_call' AND ${SUBJECT} = ? AND ${CHANGE} IN ('placed', 'result', 'late') AND seq >= ? ORDER BY seq`,
} as const;

/** What the fold reads of a stored `check_call` event (parsed, not cast: the doc is JSON from disk). */
const storedCheckCall = z.object({
  change: z.enum(['placed', 'result', 'late']),
  at: z.number(),
  callId: z.string(),
  /** Absent on a late answer for an older call (the core keeps only the latest call). */
  placedAt: z.number().optional(),
  timeoutAt: z.number().optional(),
  reason: z.string(),
  result: z.enum(CALL_RESULTS).optional(),
  timedOut: z.boolean().optional(),
});

/**
 * A resident's recent check-in calls straight from the `events` table (the core writes every
 * `check_call` event there in the step's transaction). A partial index on the event's subject and
 * change makes "the last N calls placed for this resident" one index walk however long the log.
 */
export class CheckCallQueryRepo {
  private readonly placed: Database.Statement;
  private readonly since: Database.Statement;

  constructor(db: Database.Database) {
    this.placed = db.prepare(CHECK_CALL_SQL.latest);
    this.since = db.prepare(CHECK_CALL_SQL.since);
  }

  /** Adds the index to a store of any age (idempotent; built once, at open, from the events already stored). */
  static migrate(db: Database.Database): void {
    db.exec(`CREATE INDEX IF NOT EXISTS events_check_call ON events(${SUBJECT}, ${CHANGE}, seq) WHERE type = 'check_call'`);
  }

  /**
   * The resident's last `limit` calls, newest first: the last `limit` placements, then every event of
   * those calls (all stored after the oldest of them). A result or late answer never changes the order.
   */
  recent(residentId: string, limit: number): CheckCallView[] {
    const seqs = z.array(z.object({ seq: z.number() })).parse(this.placed.all(residentId, limit));
    const oldest = seqs[seqs.length - 1]?.seq;
    if (oldest === undefined) return [];
    const calls = new Map<string, CheckCallView>();
    for (const row of z.array(z.object({ doc: z.string() })).parse(this.since.all(residentId, oldest))) {
      const e = storedCheckCall.safeParse(JSON.parse(row.doc));
      if (!e.success) continue;
      const ev = e.data;
      if (ev.change === 'placed') {
        if (ev.placedAt !== undefined && ev.timeoutAt !== undefined) calls.set(ev.callId, { callId: ev.callId, placedAt: ev.placedAt, timeoutAt: ev.timeoutAt, reason: ev.reason });
        continue;
      }
      // Results of calls placed before the window (a late answer for an older call) are not listed.
      const call = calls.get(ev.callId);
      if (!call || ev.result === undefined) continue;
      // A late answer: only its result and instant count (one for a superseded call has no times).
      if (ev.change === 'late') call.late = { result: ev.result, at: ev.at };
      else {
        call.result = ev.result;
        call.resultAt = ev.at;
        if (ev.timedOut) call.timedOut = true;
        else delete call.timedOut;
      }
    }
    return [...calls.values()].reverse();
  }
}
