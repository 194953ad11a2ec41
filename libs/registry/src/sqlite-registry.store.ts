import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  awayPeriodSchema,
  deviceSchema,
  parseRegistryFile,
  userSchema,
  type AwayPeriod,
  type DeviceEntry,
  type DeviceKind,
  type Elevator,
  type RegistryFile,
  type Resident,
  type RuleOverrides,
  type Site,
} from '@hearthbeat/contracts';
import type { DeviceRecord, ImportReport, RegistryStore, UserRecord } from './registry-store';
import { RegistryConflictError, RegistryError, RegistryNotFoundError, RegistryValidationError, problemsOf } from './registry.errors';
import { migrate } from './registry-schema.migrations';
import { RegistrySnapshot } from './registry.snapshot';
import { findMergeConflicts, kindSuitsOwner, mapLimit } from './registry-import.planner';
import { DEVICE_SECRET_COST, PASSWORD_COST, hashSecret, hashUsesCost, verifySecret, type ScryptCost } from './secret.hasher';
import { VerifiedSecretCache } from './verified-secret.cache';
import { RegistryStatements } from './registry.statements';
import { awayToColumn, deviceToRow } from './registry-rows.mapper';
import { writeImport } from './registry-import.writer';

export const REGISTRY_DB_FILE = 'registry.sqlite';
/**
 * What the WAL is cut back to once a checkpoint has copied it (bytes): without it, one large import
 * leaves a WAL of its size for as long as the file is open. Twice the automatic checkpoint's 1000 pages
 * of 4 KiB, so everyday writes never reach it. A connection setting: the platform's and the CLI's both set it.
 */
export const REGISTRY_JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024;

export interface RegistryStoreOptions {
  /** Directory of the database, normally HB_DATA_DIR; created when missing. */
  dataDir: string;
  /** File name inside `dataDir`; `registry.sqlite` unless told. */
  fileName?: string;
  /**
   * How often, at most, reads look for changes committed by another process (the `hb` CLI provisioning a
   * device while the platform runs). 0 checks on every read. Default 1000 ms.
   */
  externalChangeCheckMs?: number;
  /** Entries of the verified device-secret cache; 0 disables it. Default 100,000. */
  verifiedCacheSize?: number;
  /** scrypt costs; defaults DEVICE_SECRET_COST and PASSWORD_COST. Tests and benchmarks only. */
  deviceSecretCost?: ScryptCost;
  passwordCost?: ScryptCost;
}

/** scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise). */
const HASH_CONCURRENCY = 4;

const awayListSchema = z.array(awayPeriodSchema);
const newPasswordSchema = userSchema.shape.password.unwrap();

/**
 * The embedded registry: one SQLite file in WAL mode (readers never wait for the writer, so the CLI
 * can import while the platform runs), mirrored in memory by a RegistrySnapshot for the read paths.
 * Writes that hash (import, provisioning, passwords) run one at a time in this process; each commits in
 * a single IMMEDIATE transaction, so a failing import changes nothing.
 */
export class SqliteRegistryStore implements RegistryStore {
  private snapshot: RegistrySnapshot;
  private readonly stmts: RegistryStatements;
  private readonly verified: VerifiedSecretCache;
  private readonly deviceCost: ScryptCost;
  private readonly passwordCost: ScryptCost;
  private readonly checkEveryMs: number;
  private dataVersion: number;
  private lastCheck = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private dummyHash: Promise<string> | undefined;
  private closed = false;
  private readonly authCounters = { cacheHits: 0, scryptChecks: 0 };

  private constructor(
    /** Absolute path of the database file. */
    readonly file: string,
    private readonly db: Database.Database,
    options: RegistryStoreOptions,
  ) {
    this.stmts = new RegistryStatements(db);
    this.verified = new VerifiedSecretCache(options.verifiedCacheSize ?? 100_000);
    this.deviceCost = options.deviceSecretCost ?? DEVICE_SECRET_COST;
    this.passwordCost = options.passwordCost ?? PASSWORD_COST;
    this.checkEveryMs = options.externalChangeCheckMs ?? 1000;
    this.snapshot = RegistrySnapshot.load(db);
    this.dataVersion = this.readDataVersion();
    this.lastCheck = Date.now();
  }

  /** Opens (creating and migrating when needed) `<dataDir>/registry.sqlite`. */
  static open(options: RegistryStoreOptions): SqliteRegistryStore {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.resolve(options.dataDir, options.fileName ?? REGISTRY_DB_FILE);
    const isNew = !fs.existsSync(file);
    const db = new Database(file, { timeout: 5000 });
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only a power cut may lose the last commit.
      db.pragma('synchronous = NORMAL');
      db.pragma(`journal_size_limit = ${REGISTRY_JOURNAL_SIZE_LIMIT}`);
      db.pragma('foreign_keys = ON');
      migrate(db);
      // Hashes are not secrets, but nobody else needs to read them; SQLite gives -wal/-shm the same mode.
      if (isNew) fs.chmodSync(file, 0o600);
      return new SqliteRegistryStore(file, db, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  // ---- import / export ----

  async importRegistry(input: RegistryFile): Promise<ImportReport> {
    this.assertOpen();
    // Parsed again even though typed: cross-references are not in the type, and callers may build files.
    const parsed = parseRegistryFile(input);
    if (!parsed.ok) throw new RegistryValidationError(parsed.problems, 'invalid registry file');
    const file = parsed.value;
    return this.exclusive(async () => {
      this.refresh();
      const conflicts = findMergeConflicts(file, this.snapshot);
      if (conflicts.length > 0) throw new RegistryConflictError(conflicts);
      const deviceHashes = await this.resolveHashes(
        file.devices.flatMap((d) => (d.secret === undefined ? [] : [{ id: d.id, secret: d.secret }])),
        this.deviceCost,
        (id) => this.snapshot.deviceHashes.get(id),
        true,
      );
      const userHashes = await this.resolveHashes(
        (file.users ?? []).flatMap((u) => (u.password === undefined ? [] : [{ id: u.id, secret: u.password }])),
        this.passwordCost,
        (id) => this.stmts.passwordHash(id),
        false,
      );
      this.assertOpen();
      const { changed, rekeyed } = this.db.transaction(() => writeImport(this.stmts, file, deviceHashes, userHashes)).immediate();
      for (const id of rekeyed) this.verified.forget(id);
      this.reload();
      // Each secret now matches its stored hash: the devices' first connections need no scrypt.
      for (const d of file.devices) {
        const hash = deviceHashes.get(d.id);
        if (hash !== undefined && d.secret !== undefined) this.verified.remember(d.id, hash, d.secret);
      }
      return {
        sites: file.sites.length,
        residents: file.residents.length,
        elevators: file.elevators.length,
        devices: file.devices.length,
        users: file.users?.length ?? 0,
        changed,
      };
    });
  }

  /**
   * The hash to store for each supplied secret: the stored one when it already verifies that secret
   * (with today's cost), so that re-importing a file neither re-hashes nor counts as a change.
   */
  private async resolveHashes(
    items: { id: string; secret: string }[],
    cost: ScryptCost,
    storedHash: (id: string) => string | undefined,
    useCache: boolean,
  ): Promise<Map<string, string>> {
    const pick = async (id: string, secret: string): Promise<string> => {
      const stored = storedHash(id);
      if (stored !== undefined && hashUsesCost(stored, cost)) {
        if (useCache && this.verified.matches(id, stored, secret)) return stored;
        if (await verifySecret(secret, stored)) return stored;
      }
      return hashSecret(secret, cost);
    };
    const pairs = await mapLimit(items, HASH_CONCURRENCY, async ({ id, secret }): Promise<[string, string]> => [id, await pick(id, secret)]);
    return new Map(pairs);
  }

  exportRegistry(): RegistryFile {
    this.ensureFresh();
    return this.snapshot.toFile();
  }

  // ---- devices ----

  getDevice(id: string): DeviceRecord | undefined {
    this.ensureFresh();
    return this.snapshot.devices.get(id);
  }

  listDevices(): DeviceRecord[] {
    this.ensureFresh();
    return [...this.snapshot.devices.values()];
  }

  async verifyDeviceSecret(id: string, secret: string): Promise<boolean> {
    this.ensureFresh();
    // Device ids are printed on labels and are not secret, so an early answer for an unknown one leaks nothing.
    const hash = this.snapshot.deviceHashes.get(id);
    if (hash === undefined) return false;
    if (this.verified.matches(id, hash, secret)) {
      this.authCounters.cacheHits++;
      return true;
    }
    this.authCounters.scryptChecks++;
    const ok = await verifySecret(secret, hash);
    // Re-keyed while scrypt ran: the secret checked is no longer the device's.
    if (!ok || this.snapshot.deviceHashes.get(id) !== hash) return false;
    this.verified.remember(id, hash, secret);
    return true;
  }

  /** Device-secret checks since open, for metrics: answered from the verified cache, or by scrypt. */
  deviceAuthStats(): { cacheHits: number; scryptChecks: number; cachedSecrets: number } {
    return { ...this.authCounters, cachedSecrets: this.verified.size };
  }

  async provisionDevice(input: { id: string; kind: DeviceKind; reportIntervalS?: number }): Promise<{ device: DeviceRecord; secret: string }> {
    this.assertOpen();
    const parsed = deviceSchema.safeParse({ id: input.id, kind: input.kind, reportIntervalS: input.reportIntervalS });
    if (!parsed.success) throw new RegistryValidationError(problemsOf(parsed.error, ''), 'invalid device');
    const { id, kind } = parsed.data;
    return this.exclusive(async () => {
      this.refresh();
      const owner = this.snapshot.owners.get(id);
      if (owner && !kindSuitsOwner(kind, owner)) {
        throw new RegistryConflictError([{ path: 'kind', message: `device "${id}" belongs to ${owner.type} ${owner.id}, which cannot use kind ${kind}` }]);
      }
      const secret = randomBytes(32).toString('base64url');
      const hash = await hashSecret(secret, this.deviceCost);
      this.assertOpen();
      const existing = this.snapshot.deviceEntries.get(id);
      // Keep a configured interval across a re-key, unless the kind (and so its default) changes.
      const interval = parsed.data.reportIntervalS ?? (existing?.kind === kind ? existing.reportIntervalS : undefined);
      const entry: DeviceEntry = interval === undefined ? { id, kind } : { id, kind, reportIntervalS: interval };
      this.db.transaction(() => this.stmts.devices.upsert(deviceToRow(entry, hash))).immediate();
      this.verified.remember(id, hash, secret);
      const device = this.snapshot.putDevice(entry, hash);
      return { device, secret };
    });
  }

  // ---- users ----

  getUser(id: string): UserRecord | undefined {
    this.ensureFresh();
    return this.snapshot.users.get(id);
  }

  listUsers(): UserRecord[] {
    this.ensureFresh();
    return [...this.snapshot.users.values()];
  }

  async verifyUserPassword(id: string, password: string): Promise<UserRecord | undefined> {
    this.ensureFresh();
    const hash = this.snapshot.users.has(id) ? this.stmts.passwordHash(id) : undefined;
    if (hash === undefined) {
      // Spend the same scrypt time as a real check, so that timing does not tell which user ids exist.
      this.dummyHash ??= hashSecret(randomBytes(16).toString('hex'), this.passwordCost);
      await verifySecret(password, await this.dummyHash);
      return undefined;
    }
    return (await verifySecret(password, hash)) ? this.snapshot.users.get(id) : undefined;
  }

  async setUserPassword(id: string, password: string): Promise<void> {
    this.assertOpen();
    const parsed = newPasswordSchema.safeParse(password);
    if (!parsed.success) throw new RegistryValidationError(problemsOf(parsed.error, 'password'), 'invalid password');
    return this.exclusive(async () => {
      this.refresh();
      if (!this.snapshot.users.has(id)) throw new RegistryNotFoundError('user', id);
      const hash = await hashSecret(parsed.data, this.passwordCost);
      this.assertOpen();
      if (!this.stmts.setPasswordHash(id, hash)) throw new RegistryNotFoundError('user', id);
    });
  }

  // ---- sites, residents, elevators ----

  getSite(id: string): Site | undefined {
    this.ensureFresh();
    return this.snapshot.sites.get(id);
  }
  listSites(): Site[] {
    this.ensureFresh();
    return [...this.snapshot.sites.values()];
  }
  getResident(id: string): Resident | undefined {
    this.ensureFresh();
    return this.snapshot.residents.get(id);
  }
  listResidents(): Resident[] {
    this.ensureFresh();
    return [...this.snapshot.residents.values()];
  }
  getElevator(id: string): Elevator | undefined {
    this.ensureFresh();
    return this.snapshot.elevators.get(id);
  }
  listElevators(): Elevator[] {
    this.ensureFresh();
    return [...this.snapshot.elevators.values()];
  }

  ruleLayers(subject: { type: 'resident' | 'elevator'; id: string }): (RuleOverrides | undefined)[] {
    this.ensureFresh();
    const entity = subject.type === 'resident' ? this.snapshot.residents.get(subject.id) : this.snapshot.elevators.get(subject.id);
    return [entity ? this.snapshot.sites.get(entity.site)?.rules : undefined, entity?.rules];
  }

  /** Replaces a resident's announced absences. A later import keeps them unless its resident lists `away`. */
  setAway(residentId: string, away: AwayPeriod[]): void {
    this.assertOpen();
    const parsed = awayListSchema.safeParse(away);
    if (!parsed.success) throw new RegistryValidationError(problemsOf(parsed.error, 'away'), 'invalid away periods');
    this.refresh();
    const resident = this.snapshot.residents.get(residentId);
    if (!resident || !this.stmts.setAway(residentId, awayToColumn(parsed.data))) throw new RegistryNotFoundError('resident', residentId);
    this.snapshot.putResident({ ...structuredClone(resident), away: parsed.data });
  }

  // ---- lifecycle and freshness ----

  /**
   * Reloads the in-memory copy when another connection (another process) committed since the last
   * look; returns whether it did. Reads call this at most every `externalChangeCheckMs`.
   */
  refresh(): boolean {
    this.assertOpen();
    this.lastCheck = Date.now();
    const version = this.readDataVersion();
    if (version === this.dataVersion) return false;
    this.reload();
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.verified.clear();
    this.db.close();
  }

  private ensureFresh(): void {
    this.assertOpen();
    if (Date.now() - this.lastCheck >= this.checkEveryMs) this.refresh();
  }

  private reload(): void {
    this.snapshot = RegistrySnapshot.load(this.db);
    this.dataVersion = this.readDataVersion();
  }

  /** SQLite's data_version changes when any other connection commits; our own commits leave it alone. */
  private readDataVersion(): number {
    return z.number().parse(this.db.pragma('data_version', { simple: true }));
  }

  private assertOpen(): void {
    if (this.closed) throw new RegistryError('the registry store is closed');
  }

  /** Runs write tasks one after another, so that hashing between reads and the commit cannot interleave. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Opens the embedded registry store under `dataDir` (async so that a server-backed store can share the signature). */
export async function openRegistryStore(options: RegistryStoreOptions): Promise<SqliteRegistryStore> {
  return SqliteRegistryStore.open(options);
}
