import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

export const ENGINE_DB_FILE = 'engine.sqlite';

/**
 * Opens a connection to the engine's SQLite file under `dataDir` with the settings every engine table
 * relies on: WAL (readers never block the engine step) and synchronous=NORMAL (a process crash loses no
 * committed transaction). `busyTimeoutMs` lets the API's own connections wait for the engine's writes.
 */
export function openEngineDb(dataDir: string, busyTimeoutMs?: number): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, ENGINE_DB_FILE), busyTimeoutMs === undefined ? {} : { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
