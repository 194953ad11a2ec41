#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verifyLog } from '@hearthbeat/rules-engine';

const USAGE = `usage: npm run verify-log -- FILE [--head HASH]

Checks an audit log export (GET /api/audit/log.jsonl, JSON Lines) entry by entry: each line's hash must
be sha256 of the canonical JSON of {seq, prevHash, entry}, and each prevHash the hash of the line before.
Names the first entry that was edited, removed or moved (line number and seq).
  --head HASH   a head hash published earlier (GET /api/audit/head, hb_audit_head_info in /metrics):
                the log must contain it, so a rewritten or truncated log is caught too.
Exit status: 0 intact, 1 tampered, 2 usage or read error.
`;

export interface VerifyIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Where a relative FILE is read from (npm runs scripts from the repository root; INIT_CWD is the caller's). */
  cwd: string;
}

/** `verify-log FILE [--head HASH]`; returns the exit status. */
export function runVerifyLog(args: readonly string[], io: VerifyIo): number {
  let file: string | undefined;
  let head: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      io.stdout(USAGE);
      return 0;
    }
    if (a === '--head') {
      head = args[++i];
      if (!head || !/^[0-9a-f]{64}$/.test(head)) {
        io.stderr(`--head needs a 64-digit lowercase hex hash\n${USAGE}`);
        return 2;
      }
    } else if (a !== undefined && !a.startsWith('--') && file === undefined) file = a;
    else {
      io.stderr(`unexpected argument: ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!file) {
    io.stderr(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    io.stderr(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const r = verifyLog(text, head !== undefined ? { head } : {});
  if (r.ok) {
    io.stdout(`OK: ${r.entries} entries, chain intact; head seq ${r.head.seq} hash ${r.head.hash}${head ? ' (anchored head found)' : ''}\n`);
    return 0;
  }
  io.stdout(`TAMPERED (${r.problem}): ${r.message}\n`);
  return 1;
}

if (require.main === module) {
  process.exitCode = runVerifyLog(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.env['INIT_CWD'] ?? process.cwd(),
  });
}
