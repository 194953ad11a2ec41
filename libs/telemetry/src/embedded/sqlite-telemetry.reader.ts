import type Database from 'better-sqlite3';
import { addTailDowntime, addToSlot, elevatorBuckets, ELEVATOR_METRICS, intervalUsageMl, waterBuckets, WATER_METRICS, type SlotSums } from '../aggregate/slot-aggregates';
import { ELEVATOR_FAULT_EVENTS } from '../points/telemetry-point';
import { TelemetryQueryError } from '../telemetry.errors';
import {
  DEFAULT_QUERY_LIMIT,
  type DeviceEventRow,
  type ElevatorActivityBucket,
  type ElevatorStateRow,
  type TelemetryStore,
  type WaterReadingRow,
  type WaterUsageBucket,
} from '../telemetry-store';
import { checkRange, localBuckets, slotMsFor, type BucketUnit, type LocalBucket } from '../time/local-buckets';
import { DAY_MS, zoneClock } from '../time/zone-clock';
import { decodeSlots } from './slot-row.codec';
import type { SeriesCache } from './sqlite-series.cache';
import { unpackElevatorState } from './sqlite-telemetry.schema';

type Q<K extends keyof TelemetryStore> = TelemetryStore[K] extends (q: infer A) => unknown ? A : never;

/** Answers the history queries from the embedded file: raw tables for samples, rollups for aggregates. */
export class SqliteTelemetryReader {
  constructor(
    private readonly db: Database.Database,
    private readonly series: SeriesCache,
    private readonly slotMs: number,
    private readonly offlineAfterMs: number,
    private readonly rawRetentionMs: number,
  ) {}

  waterReadings(q: Q<'waterReadings'>): WaterReadingRow[] {
    checkRange(q.from, q.to);
    const ids = 'resident' in q ? this.series.ofSubject('resident', q.resident) : this.series.ofDevice(q.device);
    if (!ids.length) return [];
    const rows = this.db
      .prepare<unknown[], { ts: number; device: string; total_l: number; flow_lpm: number | null }>(
        `SELECT r.ts, s.device, r.total_l, r.flow_lpm FROM water_reading r JOIN series s ON s.id = r.series
         WHERE r.series IN (${ids.map(() => '?').join(',')}) AND r.ts >= ? AND r.ts < ? ORDER BY r.ts LIMIT ?`,
      )
      .all(...ids, q.from, q.to, q.limit ?? DEFAULT_QUERY_LIMIT);
    return rows.map((r) => ({ ts: r.ts, device: r.device, totalL: r.total_l, ...(r.flow_lpm !== null ? { flowLpm: r.flow_lpm } : {}) }));
  }

  /**
   * From the rollups when their slots fit the buckets; quarter hours (and hours of a zone such as
   * Asia/Kolkata in a store of hourly rollups) from the raw readings instead, within raw retention.
   */
  waterUsage(q: Q<'waterUsage'>, now: number): WaterUsageBucket[] {
    const zone = zoneClock(q.timeZone);
    const buckets = localBuckets(zone, q.unit, q.from, q.to);
    const slotMs = slotMsFor(zone, buckets);
    const ids = this.series.ofSubject('resident', q.resident);
    if (slotMs % this.slotMs === 0) return waterBuckets(buckets, this.rollupSlots('water_rollup', ids, WATER_METRICS.length, buckets, slotMs));
    const first = buckets[0];
    if (first && first.start < now - this.rawRetentionMs) {
      const days = Math.round(this.rawRetentionMs / DAY_MS);
      throw new TelemetryQueryError(`${slotMs / 60_000}-minute water use comes from raw readings, which are kept ${days} days: the range starts before that`);
    }
    return waterBuckets(buckets, this.rawWaterSlots(ids, buckets, slotMs));
  }

  elevatorStates(q: Q<'elevatorStates'>): ElevatorStateRow[] {
    checkRange(q.from, q.to);
    const ids = this.series.ofSubject('elevator', q.elevator);
    if (!ids.length) return [];
    const rows = this.db
      .prepare<unknown[], { ts: number; device: string; floor: number; state: number; speed_mps: number }>(
        `SELECT e.ts, s.device, e.floor, e.state, e.speed_mps FROM elevator_state e JOIN series s ON s.id = e.series
         WHERE e.series IN (${ids.map(() => '?').join(',')}) AND e.ts >= ? AND e.ts < ? ORDER BY e.ts LIMIT ?`,
      )
      .all(...ids, q.from, q.to, q.limit ?? DEFAULT_QUERY_LIMIT);
    return rows.map((r) => {
      const u = unpackElevatorState(r.state);
      // Keys in the interface's order, as the influx reader builds them: answers serialize alike.
      return { ts: r.ts, device: r.device, floor: r.floor, doorZone: u.doorZone, direction: u.direction, door: u.door, occupied: u.occupied, speedMps: r.speed_mps, mode: u.mode, power: u.power };
    });
  }

  elevatorEvents(q: Q<'elevatorEvents'>): DeviceEventRow[] {
    checkRange(q.from, q.to);
    const ids = this.series.ofSubject('elevator', q.elevator);
    if (!ids.length) return [];
    // Status changes share the table (as events "online"/"offline") but are not device events.
    const faultFilter = q.faultsOnly ? `AND e.event IN (${ELEVATOR_FAULT_EVENTS.map(() => '?').join(',')})` : `AND e.event NOT IN ('online', 'offline')`;
    const rows = this.db
      .prepare<unknown[], { ts: number; device: string; event: string; held_ms: number | null }>(
        `SELECT e.ts, s.device, e.event, e.held_ms FROM device_event e JOIN series s ON s.id = e.series
         WHERE e.series IN (${ids.map(() => '?').join(',')}) AND e.ts >= ? AND e.ts < ? ${faultFilter} ORDER BY e.ts, e.event LIMIT ?`,
      )
      .all(...ids, q.from, q.to, ...(q.faultsOnly ? ELEVATOR_FAULT_EVENTS : []), q.limit ?? DEFAULT_QUERY_LIMIT);
    return rows.map((r) => ({ ts: r.ts, device: r.device, event: r.event, ...(r.held_ms !== null ? { heldMs: r.held_ms } : {}), fault: ELEVATOR_FAULT_EVENTS.includes(r.event) }));
  }

  elevatorActivity(q: Q<'elevatorActivity'>, now: number): ElevatorActivityBucket[] {
    const { buckets, slotMs } = this.bucketsFor(q.timeZone, q.unit, q.from, q.to);
    const ids = this.series.ofSubject('elevator', q.elevator);
    const sums = this.rollupSlots('elevator_rollup', ids, ELEVATOR_METRICS.length, buckets, slotMs);
    if (ids.length) {
      const last = this.db
        .prepare<unknown[], { ts: number; state: number }>(`SELECT ts, state FROM elevator_last WHERE series IN (${ids.map(() => '?').join(',')}) ORDER BY ts DESC LIMIT 1`)
        .get(...ids);
      const span = { from: buckets[0]?.start ?? q.from, to: buckets[buckets.length - 1]?.end ?? q.to };
      if (last) addTailDowntime(sums, { ts: last.ts, ...unpackElevatorState(last.state) }, span, now, this.offlineAfterMs, slotMs);
    }
    return elevatorBuckets(buckets, sums);
  }

  /** Per-slot usage of each reading interval ending inside the buckets, as the rollups count it. */
  private rawWaterSlots(ids: number[], buckets: LocalBucket[], slotMs: number): SlotSums {
    const sums: SlotSums = new Map();
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    if (!first || !last) return sums;
    const before = this.db.prepare<[number, number], { ts: number; totalL: number }>('SELECT ts, total_l AS totalL FROM water_reading WHERE series = ? AND ts < ? ORDER BY ts DESC LIMIT 1');
    const inside = this.db.prepare<[number, number, number], { ts: number; totalL: number }>(
      'SELECT ts, total_l AS totalL FROM water_reading WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts',
    );
    for (const id of ids) {
      let prev = before.get(id, first.start);
      for (const r of inside.iterate(id, first.start, last.end)) {
        const ml = prev ? intervalUsageMl(prev, r) : null;
        if (ml !== null) {
          const slot = Math.floor(r.ts / slotMs) * slotMs;
          addToSlot(sums, slot, WATER_METRICS.length, 0, ml);
          addToSlot(sums, slot, WATER_METRICS.length, 1, 1);
        }
        prev = r;
      }
    }
    return sums;
  }

  private bucketsFor(timeZone: string, unit: BucketUnit, from: number, to: number): { buckets: LocalBucket[]; slotMs: number } {
    const zone = zoneClock(timeZone);
    const buckets = localBuckets(zone, unit, from, to);
    const slotMs = slotMsFor(zone, buckets);
    if (slotMs % this.slotMs !== 0) {
      throw new TelemetryQueryError(`${timeZone} needs ${slotMs / 60_000}-minute slots; this store keeps ${this.slotMs / 60_000}-minute rollups (rollupSlotMinutes)`);
    }
    return { buckets, slotMs };
  }

  /** Slot sums of some series over the buckets' span, re-keyed to `slotMs` (a multiple of the stored slot). */
  private rollupSlots(table: 'water_rollup' | 'elevator_rollup', ids: number[], metrics: number, buckets: LocalBucket[], slotMs: number): SlotSums {
    const sums: SlotSums = new Map();
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    if (!ids.length || !first || !last) return sums;
    const perDay = DAY_MS / this.slotMs;
    const rows = this.db
      .prepare<unknown[], { day: number; slots: Buffer }>(`SELECT day, slots FROM ${table} WHERE series IN (${ids.map(() => '?').join(',')}) AND day >= ? AND day <= ?`)
      .all(...ids, Math.floor(first.start / DAY_MS), Math.floor((last.end - 1) / DAY_MS));
    for (const row of rows) {
      const values = decodeSlots(row.slots, metrics * perDay);
      for (let s = 0; s < perDay; s++) {
        const slotStart = row.day * DAY_MS + s * this.slotMs;
        if (slotStart < first.start || slotStart >= last.end) continue;
        const key = Math.floor(slotStart / slotMs) * slotMs;
        for (let m = 0; m < metrics; m++) {
          const v = values[m * perDay + s] ?? 0;
          if (v === 0) continue;
          let acc = sums.get(key);
          if (!acc) {
            acc = new Array<number>(metrics).fill(0);
            sums.set(key, acc);
          }
          acc[m] = (acc[m] ?? 0) + v;
        }
      }
    }
    return sums;
  }
}
