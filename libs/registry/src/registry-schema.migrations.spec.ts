import Database from 'better-sqlite3';
import { MIGRATIONS, SchemaTooNewError, migrate, schemaVersion, type Migration } from './registry-schema.migrations';

const tables = (db: Database.Database) =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();

const LATEST = MIGRATIONS.length;

describe('registry schema migrations', () => {
  it('brings an empty database to the latest version and records it', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual({ from: 0, to: MIGRATIONS.length });
    expect(schemaVersion(db)).toBe(LATEST);
    expect(tables(db)).toEqual(['devices', 'elevators', 'residents', 'schema_version', 'sites', 'users']);
    expect(db.prepare('SELECT version, name FROM schema_version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sites')).toContain('escalation');
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('residents')).toContain('contacts');
  });

  it('applies nothing twice', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toEqual({ from: LATEST, to: LATEST });
    expect(db.prepare('SELECT count(*) FROM schema_version').pluck().get()).toBe(LATEST);
  });

  it('applies only the migrations above the stored version, in order', () => {
    const db = new Database(':memory:');
    migrate(db);
    const next: Migration[] = [
      ...MIGRATIONS,
      { version: LATEST + 2, name: 'c', sql: 'ALTER TABLE t2 ADD COLUMN c INTEGER' },
      { version: LATEST + 1, name: 't2', sql: 'CREATE TABLE t2 (a INTEGER)' },
    ];
    expect(migrate(db, next)).toEqual({ from: LATEST, to: LATEST + 2 });
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('t2')).toEqual(['a', 'c']);
  });

  it('rolls a failing migration back whole', () => {
    const db = new Database(':memory:');
    migrate(db);
    const bad: Migration[] = [...MIGRATIONS, { version: LATEST + 1, name: 'bad', sql: 'CREATE TABLE t2 (a INTEGER); CREATE TABLE sites (x)' }];
    let caught: unknown;
    try {
      migrate(db, bad);
    } catch (err) {
      caught = err;
    }
    // Matched by shape: better-sqlite3's SqliteError may come from another Jest realm than this file's Error.
    expect(caught).toMatchObject({ message: expect.stringMatching(/already exists/) });
    expect(schemaVersion(db)).toBe(LATEST);
    expect(tables(db)).not.toContain('t2');
  });

  it('refuses a database written by newer software', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("INSERT INTO schema_version VALUES (99, 'future', 'x')").run();
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
  });
});
