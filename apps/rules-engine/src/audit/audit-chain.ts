import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The tamper-evident record's format (docs/field-workflow.md, "Audit log"), shared by the writer and the
 * `verify-log` command. Each line of an export is `{"seq","prevHash","hash","entry"}` where
 *   hash = sha256_hex(canonicalJson({"seq": seq, "prevHash": prevHash, "entry": entry}))
 * and prevHash is the previous line's hash (GENESIS_HASH for seq 1). Editing, removing or reordering
 * any line breaks the chain at that line; a published head hash anchors the end.
 */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted (by UTF-16 code units) at every level, no whitespace, members whose
 * value is undefined left out, numbers in ECMAScript's shortest form: RFC 8785 (JCS) for the values
 * the log holds (strings, finite numbers, booleans, null, arrays, objects). Written by hand rather
 * than with a JSON.stringify replacer, because objects put integer-like keys first whatever the order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const v: unknown = Reflect.get(value, key);
    if (v !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${members.join(',')}}`;
}

export function chainHash(seq: number, prevHash: string, entry: unknown): string {
  return createHash('sha256').update(canonicalJson({ seq, prevHash, entry })).digest('hex');
}

/** One alert timeline entry, with what identifies its alert. */
export interface AlertAuditEntry {
  kind: 'alert';
  alertId: string;
  site: string;
  rule: string;
  subject: { type: string; id: string };
  n: number;
  at: number;
  by: string;
  action: string;
  note?: string;
  details?: Readonly<Record<string, string | number | boolean | null>>;
}

export const MAINTENANCE_ACTIONS = ['arrived', 'work_done', 'departed'] as const;
export type MaintenanceAction = (typeof MAINTENANCE_ACTIONS)[number];

/** A maintainer's check-in at an elevator. */
export interface MaintenanceAuditEntry {
  kind: 'maintenance';
  elevatorId: string;
  site: string;
  at: number;
  by: string;
  action: MaintenanceAction;
  note?: string;
}

export type AuditEntry = AlertAuditEntry | MaintenanceAuditEntry;

export interface AuditLine {
  seq: number;
  prevHash: string;
  hash: string;
  entry: AuditEntry;
}

/** The export's line text: seq first for people reading it; the hash does not depend on member order. */
export function lineText(line: { seq: number; prevHash: string; hash: string; entryJson: string }): string {
  return `{"seq":${line.seq},"prevHash":"${line.prevHash}","hash":"${line.hash}","entry":${line.entryJson}}`;
}

// ---- verification ---------------------------------------------------------------------------------

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const lineSchema = z.object({ seq: z.int().min(1), prevHash: hex64, hash: hex64, entry: z.record(z.string(), z.unknown()) });

export type VerifyProblem = 'not_json' | 'bad_line' | 'edited' | 'removed' | 'moved' | 'duplicate' | 'head_not_found' | 'empty';

export type VerifyResult =
  | { ok: true; entries: number; head: { seq: number; hash: string } }
  | { ok: false; problem: VerifyProblem; line: number; seq?: number; message: string };

interface Parsed {
  line: number;
  seq: number;
  prevHash: string;
  hash: string;
  entry: unknown;
}

/**
 * Checks a whole export (JSON Lines, seq 1 first) and names the first line that breaks the chain:
 *  - edited: the line's content no longer gives its hash, or (when the hash was recomputed too) the
 *    next line's prevHash no longer matches it;
 *  - removed: a seq is missing (named, with the line where it should be);
 *  - moved: a seq turns up at another line than its place;
 *  - with `head` (a hash published earlier, from /metrics or GET /api/audit/head): the log must hold a
 *    line with that hash, so a rewritten or truncated log is caught even when its chain is consistent.
 */
export function verifyLog(text: string, opts: { head?: string } = {}): VerifyResult {
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  if (raw.length === 0) return { ok: false, problem: 'empty', line: 0, message: 'the log is empty' };
  const lines: Parsed[] = [];
  for (let i = 0; i < raw.length; i++) {
    const n = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw[i] ?? '');
    } catch {
      return { ok: false, problem: 'not_json', line: n, message: `line ${n}: not valid JSON: the line was edited` };
    }
    const p = lineSchema.safeParse(json);
    if (!p.success) {
      const seq = typeof json === 'object' && json !== null ? Reflect.get(json, 'seq') : undefined;
      const issue = p.error.issues[0];
      return { ok: false, problem: 'bad_line', line: n, ...(typeof seq === 'number' ? { seq } : {}), message: `line ${n}: ${issue?.path.join('.') || 'line'} ${issue?.message ?? 'is malformed'}` };
    }
    lines.push({ line: n, ...p.data });
  }
  const linesOfSeq = new Map<number, number[]>();
  for (const l of lines) linesOfSeq.set(l.seq, [...(linesOfSeq.get(l.seq) ?? []), l.line]);

  let prevHash = GENESIS_HASH;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Parsed;
    const expected = i + 1;
    if (l.seq !== expected) return orderProblem(l, expected, linesOfSeq, lines[i + 1]);
    if (chainHash(l.seq, l.prevHash, l.entry) !== l.hash) {
      return { ok: false, problem: 'edited', line: l.line, seq: l.seq, message: `line ${l.line} (seq ${l.seq}): its content does not give its hash: this entry was edited` };
    }
    if (l.prevHash !== prevHash) {
      // The line is consistent in itself, so the one before it was changed and its hash recomputed.
      const before = lines[i - 1];
      if (!before) return { ok: false, problem: 'edited', line: l.line, seq: l.seq, message: `line ${l.line} (seq 1): prevHash is not the genesis hash: this entry was edited` };
      return {
        ok: false,
        problem: 'edited',
        line: before.line,
        seq: before.seq,
        message: `line ${before.line} (seq ${before.seq}): its hash is not the one line ${l.line} (seq ${l.seq}) chained to: this entry was edited (and its hash recomputed)`,
      };
    }
    prevHash = l.hash;
  }
  const last = lines[lines.length - 1] as Parsed;
  if (opts.head !== undefined && !lines.some((l) => l.hash === opts.head)) {
    return { ok: false, problem: 'head_not_found', line: last.line, seq: last.seq, message: `the anchored head ${opts.head} is not in the log (it ends at seq ${last.seq}): the log was rewritten or cut short` };
  }
  return { ok: true, entries: lines.length, head: { seq: last.seq, hash: last.hash } };
}

function orderProblem(l: Parsed, expected: number, linesOfSeq: Map<number, number[]>, next: Parsed | undefined): VerifyResult {
  const here = linesOfSeq.get(l.seq) ?? [];
  if (here.length > 1) return { ok: false, problem: 'duplicate', line: l.line, seq: l.seq, message: `line ${l.line} (seq ${l.seq}): seq ${l.seq} appears ${here.length} times (lines ${here.join(', ')})` };
  const elsewhere = linesOfSeq.get(expected);
  if (elsewhere && elsewhere.length > 0) {
    return {
      ok: false,
      problem: 'moved',
      line: elsewhere[0] as number,
      seq: expected,
      message: `line ${elsewhere[0]} (seq ${expected}): this entry was moved: it belongs at line ${l.line}, where seq ${l.seq} is instead`,
    };
  }
  if (next?.seq === expected + 1) {
    // The chain carries on in place after this line: its own seq was changed.
    return { ok: false, problem: 'edited', line: l.line, seq: l.seq, message: `line ${l.line} (seq ${l.seq}): its seq should be ${expected}: this entry was edited` };
  }
  if (l.seq > expected) {
    const missing = l.seq - 1 === expected ? `seq ${expected} is` : `seqs ${expected}-${l.seq - 1} are`;
    return { ok: false, problem: 'removed', line: l.line, seq: expected, message: `${missing} missing before line ${l.line} (seq ${l.seq}): entry seq ${expected} was removed` };
  }
  return { ok: false, problem: 'moved', line: l.line, seq: l.seq, message: `line ${l.line} (seq ${l.seq}): this entry was moved: it belongs before seq ${expected}` };
}
