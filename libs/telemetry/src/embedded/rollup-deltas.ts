import type Database from 'better-sqlite3';
import { DAY_MS } from '../time/zone-clock';
import { decodeSlots, encodeSlots } from './slot-row.codec';

/**
 * Changes to one rollup table gathered over a write batch and applied once per (series, day): a
 * batch of 5,000 readings touches each row a handful of times, and each row is read, added to and
 * written back once.
 */
export class RollupDeltas {
  private readonly pending = new Map<number, { series: number; day: number; values: number[] }>();
  private readonly read: Database.Statement<[number, number], { slots: Buffer }>;
  private readonly write: Database.Statement<[number, number, Buffer]>;
  readonly slotsPerDay: number;

  constructor(
    db: Database.Database,
    table: 'water_rollup' | 'elevator_rollup',
    readonly metrics: number,
    readonly slotMs: number,
  ) {
    this.slotsPerDay = DAY_MS / slotMs;
    this.read = db.prepare(`SELECT slots FROM ${table} WHERE series = ? AND day = ?`);
    this.write = db.prepare(`INSERT OR REPLACE INTO ${table} (series, day, slots) VALUES (?, ?, ?)`);
  }

  /** Adds `value` to metric `metric` of the slot holding `ts`. */
  add(series: number, ts: number, metric: number, value: number): void {
    if (value === 0) return;
    const day = Math.floor(ts / DAY_MS);
    const slot = Math.floor((ts - day * DAY_MS) / this.slotMs);
    // Days are < 2^20 until the year 4840, so the key stays a safe integer for any series id.
    const key = series * 1_048_576 + day;
    let row = this.pending.get(key);
    if (!row) {
      row = { series, day, values: new Array<number>(this.metrics * this.slotsPerDay).fill(0) };
      this.pending.set(key, row);
    }
    const i = metric * this.slotsPerDay + slot;
    row.values[i] = (row.values[i] ?? 0) + value;
  }

  /** Applies every gathered change (inside the caller's transaction) and forgets them. */
  apply(): void {
    const size = this.metrics * this.slotsPerDay;
    for (const { series, day, values } of this.pending.values()) {
      const old = this.read.get(series, day);
      const sum = old ? decodeSlots(old.slots, size) : new Array<number>(size).fill(0);
      for (let i = 0; i < size; i++) sum[i] = (sum[i] ?? 0) + (values[i] ?? 0);
      this.write.run(series, day, encodeSlots(sum));
    }
    this.pending.clear();
  }

  discard(): void {
    this.pending.clear();
  }
}
