import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { openEngineDb } from '../store/engine-db';

export interface SessionRow {
  /** sha256 of the token, hex: the token itself is never stored. */
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

const rowSchema = z.object({ id: z.string(), user_id: z.string(), created_at: z.number(), expires_at: z.number() });

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Login sessions in the engine's SQLite file (table `auth_sessions`). Tokens are 256 random bits, so a
 * plain sha256 is enough to make a stolen database useless for signing in (no salt or slow hash needed:
 * nothing to guess). Sessions survive a restart of the engine.
 */
export class SessionStore {
  private readonly db: Database.Database;
  private readonly s: ReturnType<SessionStore['prepare']>;

  constructor(dataDir: string) {
    this.db = openEngineDb(dataDir, 5000);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS auth_sessions (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL, revoked_at INTEGER);
      CREATE INDEX IF NOT EXISTS auth_sessions_user ON auth_sessions(user_id);
    `);
    this.s = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare('INSERT INTO auth_sessions(id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      find: db.prepare('SELECT id, user_id, created_at, expires_at FROM auth_sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?'),
      revoke: db.prepare('UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      revokeUser: db.prepare('UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND id != ? AND revoked_at IS NULL'),
      userSessions: db.prepare('SELECT id FROM auth_sessions WHERE user_id = ? AND id != ? AND revoked_at IS NULL AND expires_at > ?'),
      prune: db.prepare('DELETE FROM auth_sessions WHERE expires_at < ? OR revoked_at < ?'),
    };
  }

  /** A new session; the token is returned once and only its hash is kept. */
  create(userId: string, now: number, ttlMs: number): { token: string; session: SessionRow } {
    const token = `hb_${randomBytes(32).toString('base64url')}`;
    const session: SessionRow = { id: hashToken(token), userId, createdAt: now, expiresAt: now + ttlMs };
    this.s.insert.run(session.id, userId, now, session.expiresAt);
    return { token, session };
  }

  find(token: string, now: number): SessionRow | undefined {
    const raw: unknown = this.s.find.get(hashToken(token), now);
    if (raw === undefined) return undefined;
    const r = rowSchema.parse(raw);
    return { id: r.id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  revoke(id: string, now: number): boolean {
    return this.s.revoke.run(now, id).changes > 0;
  }

  /** Revokes every other session of the user (after a password change); returns their ids. */
  revokeOthers(userId: string, keepId: string, now: number): string[] {
    const ids = z.array(z.object({ id: z.string() })).parse(this.s.userSessions.all(userId, keepId, now)).map((r) => r.id);
    this.s.revokeUser.run(now, userId, keepId);
    return ids;
  }

  /** Forgets sessions that expired or were revoked more than a day ago. */
  prune(now: number): void {
    this.s.prune.run(now - 24 * 3600_000, now - 24 * 3600_000);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
