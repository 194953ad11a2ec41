import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { ENGINE_DB_FILE, ENGINE_JOURNAL_SIZE_LIMIT, openEngineDb } from './engine-db';

/**
 * The engine's WAL after a large write, measured on a real file: SQLite reuses the log from its start
 * once a checkpoint has copied it, and only journal_size_limit makes it give the space back.
 */
describe('openEngineDb: journal_size_limit on a real SQLite file', () => {
  const dirs: string[] = [];
  const dbs: Database.Database[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (): { db: Database.Database; walBytes: () => number } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-engine-wal-'));
    dirs.push(dir);
    const db = openEngineDb(dir);
    dbs.push(db);
    const wal = path.join(dir, `${ENGINE_DB_FILE}-wal`);
    return { db, walBytes: () => (fs.existsSync(wal) ? fs.statSync(wal).size : 0) };
  };

  /** About 24 MB of rows in one transaction: far more than the limit and than an automatic checkpoint's 1000 pages. */
  const largeWrite = (db: Database.Database) => {
    db.exec('CREATE TABLE IF NOT EXISTS blob_rows (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO blob_rows(doc) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 6000; i++) insert.run(`${i}`.padEnd(4000, 'x'));
    })();
  };

  it('sets every connection\'s limit above the automatic checkpoint\'s size', () => {
    const { db } = open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(ENGINE_JOURNAL_SIZE_LIMIT);
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const autoCheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }));
    expect(ENGINE_JOURNAL_SIZE_LIMIT).toBeGreaterThan(pageSize * autoCheckpoint);
  });

  it('a WAL grown by a large write shrinks back under the limit at the first commit after a checkpoint; without the limit it keeps its size', () => {
    const sizes: Record<string, number[]> = {};
    for (const limited of [true, false]) {
      const { db, walBytes } = open();
      if (!limited) db.pragma('journal_size_limit = -1');
      largeWrite(db);
      const grown = walBytes();
      // What the automatic checkpoint does after a commit: copy the log into the database, not shrink it.
      const [cp] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      expect(cp).toMatchObject({ busy: 0 });
      expect(cp?.checkpointed).toBe(cp?.log);
      const checkpointed = walBytes();
      // The next commit starts the log over from its beginning, and cuts the file to the limit.
      db.prepare('INSERT INTO blob_rows(doc) VALUES (?)').run('small');
      sizes[limited ? 'limited' : 'unlimited'] = [grown, checkpointed, walBytes()];
    }
    const [grown, checkpointed, after] = sizes['limited'] ?? [];
    expect(grown).toBeGreaterThan(2 * ENGINE_JOURNAL_SIZE_LIMIT);
    expect(checkpointed).toBe(grown);
    expect(after).toBeLessThanOrEqual(ENGINE_JOURNAL_SIZE_LIMIT);
    // The control: the same writes without the limit leave the WAL at its high-water size.
    expect(sizes['unlimited']?.[2]).toBeGreaterThan(2 * ENGINE_JOURNAL_SIZE_LIMIT);
  });
});
