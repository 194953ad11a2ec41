import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { sampleFile } from '../test/registry.fixture';
import { REGISTRY_DB_FILE, REGISTRY_JOURNAL_SIZE_LIMIT, openRegistryStore, type SqliteRegistryStore } from './sqlite-registry.store';

/**
 * The registry's WAL after a large write (another connection's, without a limit: say an old CLI), on a
 * real file: once a checkpoint has copied it, the store's next commit starts the log over and, with the
 * store's journal_size_limit, cuts the file back. A connection without the limit would keep it.
 */
describe('SqliteRegistryStore: journal_size_limit', () => {
  let dir: string;
  let store: SqliteRegistryStore | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-registry-wal-'));
  });
  afterEach(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const walBytes = () => {
    const wal = path.join(dir, `${REGISTRY_DB_FILE}-wal`);
    return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
  };
  /** About 3 x the limit in one transaction, then a complete checkpoint (what the automatic one does). */
  const largeWrite = (db: Database.Database) => {
    db.exec('CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO scratch(doc) VALUES (?)');
    const rows = Math.ceil((3 * REGISTRY_JOURNAL_SIZE_LIMIT) / 4000);
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(`${i}`.padEnd(4000, 'x'));
    })();
    const [cp] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(cp?.checkpointed).toBe(cp?.log);
  };

  it('the store\'s next commit after a large write and a checkpoint shrinks the WAL under the limit', async () => {
    const opened = await openRegistryStore({ dataDir: dir });
    store = opened;
    const other = new Database(path.join(dir, REGISTRY_DB_FILE));
    largeWrite(other);
    // Without a limit, the other connection's own next commit leaves the WAL as large as it grew.
    other.prepare('INSERT INTO scratch(doc) VALUES (?)').run('small');
    const grown = walBytes();
    expect(grown).toBeGreaterThan(2 * REGISTRY_JOURNAL_SIZE_LIMIT);
    other.pragma('wal_checkpoint(PASSIVE)');
    other.close();

    await opened.importRegistry(sampleFile());
    expect(walBytes()).toBeLessThanOrEqual(REGISTRY_JOURNAL_SIZE_LIMIT);
    expect(opened.getResident('R-0001')).toBeDefined();
  });
});
