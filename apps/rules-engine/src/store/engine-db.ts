import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

export const ENGINE_DB_FILE = 'engine.sqlite';

/**
 * What the WAL file is cut back to once a checkpoint has copied it into the database (bytes). In WAL
 * mode SQLite reuses the log from its start after a complete checkpoint instead of shrinking it, so
 * without a limit one large transaction (a migration, an index built on a big table) leaves a WAL of its
 * size for the life of the file. With it, the first commit after the log restarts truncates it to this.
 * Twice SQLite's automatic checkpoint (1000 pages of 4 KiB): the steady state never reaches it, so the
 * file is not cut and regrown at every checkpoint. It is a connection setting: every connection sets it.
 */
export const ENGINE_JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024;

/**
 * Opens a connection to the engine's SQLite file under `dataDir` with the settings every engine table
 * relies on: WAL (readers never block the engine step), synchronous=NORMAL (a process crash loses no
 * committed transaction) and ENGINE_JOURNAL_SIZE_LIMIT. `busyTimeoutMs` lets the API's own connections
 * wait for the engine's writes.
 */
export function openEngineDb(dataDir: string, busyTimeoutMs?: number): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, ENGINE_DB_FILE), busyTimeoutMs === undefined ? {} : { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`journal_size_limit = ${ENGINE_JOURNAL_SIZE_LIMIT}`);
  return db;
}
