import type { Database } from 'better-sqlite3';
import { RegistryError } from './registry.errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The registry schema, one migration per change, applied in order and recorded in `schema_version`.
 * Never edit a released migration: add the next one. Lists (resident devices, user sites) and nested
 * values (rule overrides, away periods) are JSON text: they are always read and written whole, and
 * the contracts' schemas check them on the way out. STRICT tables make SQLite refuse wrong types.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial registry',
    sql: `
      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        timezone TEXT NOT NULL,
        rules TEXT
      ) STRICT;
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('water_meter', 'smoke_alarm', 'elevator')),
        report_interval_s INTEGER,
        secret_hash TEXT
      ) STRICT;
      CREATE TABLE residents (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL REFERENCES sites(id),
        name TEXT NOT NULL,
        address TEXT,
        phone TEXT,
        devices TEXT NOT NULL,
        rules TEXT,
        away TEXT
      ) STRICT;
      CREATE INDEX residents_by_site ON residents(site);
      CREATE TABLE elevators (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL REFERENCES sites(id),
        building TEXT,
        min_floor INTEGER NOT NULL,
        max_floor INTEGER NOT NULL,
        rated_speed_mps REAL NOT NULL,
        device TEXT NOT NULL REFERENCES devices(id),
        rules TEXT
      ) STRICT;
      CREATE INDEX elevators_by_site ON elevators(site);
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT,
        role TEXT NOT NULL,
        sites TEXT NOT NULL,
        password_hash TEXT
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'site escalation policy',
    sql: `ALTER TABLE sites ADD COLUMN escalation TEXT;`,
  },
  {
    version: 3,
    name: 'resident family contacts',
    sql: `ALTER TABLE residents ADD COLUMN contacts TEXT;`,
  },
];

export class SchemaTooNewError extends RegistryError {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the registry database is at schema version ${found}, newer than this software knows (${known}); upgrade Hearthbeat`);
  }
}

export function schemaVersion(db: Database): number {
  const row: unknown = db.prepare('SELECT max(version) AS v FROM schema_version').get();
  if (typeof row === 'object' && row !== null && 'v' in row && typeof row.v === 'number') return row.v;
  return 0;
}

/** Brings the database to the latest schema; returns the versions before and after. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  // IMMEDIATE: two processes opening a fresh file at once must not both apply migration 1.
  return db
    .transaction(() => {
      const from = schemaVersion(db);
      if (from > latest) throw new SchemaTooNewError(from, latest);
      const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (m.version <= from) continue;
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
      }
      return { from, to: Math.max(from, latest) };
    })
    .immediate();
}
