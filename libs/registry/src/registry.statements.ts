import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { deviceRowSchema, elevatorRowSchema, residentRowSchema, sameRow, siteRowSchema, userRowSchema } from './registry-rows.mapper';

/** Prepared statements of one table whose rows `schema` describes (its keys are the columns). */
export class TableStatements<S extends z.ZodObject> {
  private readonly select: Statement;
  private readonly upsertStmt: Statement;

  constructor(
    db: Database,
    table: string,
    private readonly schema: S,
  ) {
    const columns = Object.keys(schema.shape);
    const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
    this.select = db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE id = ?`);
    // ON CONFLICT DO UPDATE rather than INSERT OR REPLACE: REPLACE deletes first, which foreign keys refuse.
    this.upsertStmt = db.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ` +
        `ON CONFLICT(id) DO UPDATE SET ${updates.join(', ')}`,
    );
  }

  find(id: string): z.infer<S> | undefined {
    const row: unknown = this.select.get(id);
    return row === undefined ? undefined : this.schema.parse(row);
  }

  upsert(row: z.infer<S>): void {
    this.upsertStmt.run(row);
  }

  /** Writes `row` unless `existing` already holds exactly it; returns whether it wrote. */
  writeOver(row: z.infer<S>, existing: z.infer<S> | undefined): boolean {
    if (existing !== undefined && sameRow(existing, row)) return false;
    this.upsert(row);
    return true;
  }

  write(row: z.infer<S> & { id: string }): boolean {
    return this.writeOver(row, this.find(row.id));
  }
}

export class RegistryStatements {
  readonly sites: TableStatements<typeof siteRowSchema>;
  readonly devices: TableStatements<typeof deviceRowSchema>;
  readonly residents: TableStatements<typeof residentRowSchema>;
  readonly elevators: TableStatements<typeof elevatorRowSchema>;
  readonly users: TableStatements<typeof userRowSchema>;
  private readonly selectPasswordHash: Statement;
  private readonly updatePasswordHash: Statement;
  private readonly updateAway: Statement;

  constructor(db: Database) {
    this.sites = new TableStatements(db, 'sites', siteRowSchema);
    this.devices = new TableStatements(db, 'devices', deviceRowSchema);
    this.residents = new TableStatements(db, 'residents', residentRowSchema);
    this.elevators = new TableStatements(db, 'elevators', elevatorRowSchema);
    this.users = new TableStatements(db, 'users', userRowSchema);
    this.selectPasswordHash = db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck();
    this.updatePasswordHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
    this.updateAway = db.prepare('UPDATE residents SET away = ? WHERE id = ?');
  }

  /** The stored password hash; undefined for an unknown user or one without a password. */
  passwordHash(userId: string): string | undefined {
    const hash: unknown = this.selectPasswordHash.get(userId);
    return typeof hash === 'string' ? hash : undefined;
  }

  setPasswordHash(userId: string, hash: string): boolean {
    return this.updatePasswordHash.run(hash, userId).changes > 0;
  }

  setAway(residentId: string, awayColumn: string | null): boolean {
    return this.updateAway.run(awayColumn, residentId).changes > 0;
  }
}
