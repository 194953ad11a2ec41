import type Database from 'better-sqlite3';

export interface SeriesKey {
  device: string;
  kind: string;
  subjectType: string;
  subject: string;
  site: string;
}

/**
 * Ids of (device, subject, site) series: raw rows carry a small integer instead of repeating the
 * strings. A device moved to another resident starts a new series, so history stays with its subject.
 */
export class SeriesCache {
  private readonly ids = new Map<string, number>();
  private readonly find: Database.Statement<[string, string, string, string], { id: number }>;
  private readonly insert: Database.Statement<[string, string, string, string, string]>;
  private readonly bySubject: Database.Statement<[string, string], { id: number }>;
  private readonly byDevice: Database.Statement<[string], { id: number }>;

  constructor(db: Database.Database) {
    this.find = db.prepare('SELECT id FROM series WHERE device = ? AND subject_type = ? AND subject = ? AND site = ?');
    this.insert = db.prepare('INSERT INTO series (device, kind, subject_type, subject, site) VALUES (?, ?, ?, ?, ?)');
    this.bySubject = db.prepare('SELECT id FROM series WHERE subject_type = ? AND subject = ?');
    this.byDevice = db.prepare('SELECT id FROM series WHERE device = ?');
  }

  /** The id of a series, created on first sight (call inside the write transaction). */
  idOf(k: SeriesKey): number {
    const key = `${k.device}\u0000${k.subjectType}\u0000${k.subject}\u0000${k.site}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.find.get(k.device, k.subjectType, k.subject, k.site)?.id ?? Number(this.insert.run(k.device, k.kind, k.subjectType, k.subject, k.site).lastInsertRowid);
      this.ids.set(key, id);
    }
    return id;
  }

  /** Forgets ids: after a rolled-back transaction some may not exist. */
  reset(): void {
    this.ids.clear();
  }

  ofSubject(subjectType: string, subject: string): number[] {
    return this.bySubject.all(subjectType, subject).map((r) => r.id);
  }

  ofDevice(device: string): number[] {
    return this.byDevice.all(device).map((r) => r.id);
  }
}
