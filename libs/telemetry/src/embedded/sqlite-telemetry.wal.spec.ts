import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DAY, resident, SH_DAY, water } from '../test-support/messages';
import { SqliteTelemetryStore, TELEMETRY_FILE, TELEMETRY_JOURNAL_SIZE_LIMIT } from './sqlite-telemetry.store';

/**
 * The telemetry WAL after a large write (another connection's, without a limit), on a real file: once a
 * checkpoint has copied it, the store's next batch starts the log over and, with the store's
 * journal_size_limit, cuts the file back. A connection without the limit would keep it.
 */
describe('SqliteTelemetryStore: journal_size_limit', () => {
  let dir: string;
  let store: SqliteTelemetryStore | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-telemetry-wal-'));
  });
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const walBytes = () => {
    const wal = path.join(dir, `${TELEMETRY_FILE}-wal`);
    return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
  };

  it('the store\'s next batch after a large write and a checkpoint shrinks the WAL under the limit', async () => {
    const now = SH_DAY + 2 * DAY;
    const opened = new SqliteTelemetryStore(dir, { now: () => now, flushIntervalMs: 60_000 });
    store = opened;
    const other = new Database(path.join(dir, TELEMETRY_FILE));
    other.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    const insert = other.prepare('INSERT INTO scratch(doc) VALUES (?)');
    other.transaction(() => {
      for (let i = 0; i < Math.ceil((1.5 * TELEMETRY_JOURNAL_SIZE_LIMIT) / 4000); i++) insert.run(`${i}`.padEnd(4000, 'x'));
    })();
    const [cp] = other.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(cp?.checkpointed).toBe(cp?.log);
    // Without a limit, the other connection's own next commit leaves the WAL as large as it grew.
    insert.run('small');
    expect(walBytes()).toBeGreaterThan(1.25 * TELEMETRY_JOURNAL_SIZE_LIMIT);
    other.pragma('wal_checkpoint(PASSIVE)');
    other.close();

    opened.record(water('WM-0001', now - 1000, 100), resident('R-0001'), now);
    await opened.flush();
    expect(opened.stats().written).toBeGreaterThan(0);
    expect(walBytes()).toBeLessThanOrEqual(TELEMETRY_JOURNAL_SIZE_LIMIT);
  });
});
