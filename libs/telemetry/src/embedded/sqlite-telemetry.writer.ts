import type Database from 'better-sqlite3';
import { downtimeIndex, ELEVATOR_METRICS, ELEVATOR_SAMPLES, intervalUsageMl, WATER_METRICS } from '../aggregate/slot-aggregates';
import { ELEVATOR_FAULT_EVENTS, type TelemetryPoint, type WaterPoint } from '../points/telemetry-point';
import { HOUR_MS } from '../time/zone-clock';
import { RollupDeltas } from './rollup-deltas';
import { SeriesCache, type SeriesKey } from './sqlite-series.cache';
import { packElevatorState } from './sqlite-telemetry.schema';

export interface WriterLimits {
  slotMs: number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
}

interface Reading {
  ts: number;
  totalL: number;
}

/**
 * Writes one batch of points in the caller's transaction and keeps the rollups in step with the raw
 * readings, so that a query never has to scan raw data:
 * - water: usage of an interval (previous reading -> this reading, by device time) goes to the slot
 *   of the interval's end. A reading arriving out of order splits an existing interval, so the old
 *   contribution is taken back and the two new ones added; an identical reading (QoS 1 redelivery)
 *   changes nothing.
 * - elevators: trips, door cycles, downtime pieces and fault events add to their slots; a fault
 *   counts only when its event row is new. Every new state row and event row of an elevator adds
 *   one sample; a redelivered one (same series and time) replaces its row and adds nothing, as the
 *   same point overwrites itself in InfluxDB.
 */
export class SqliteTelemetryWriter {
  readonly series: SeriesCache;
  private readonly water: RollupDeltas;
  private readonly elevator: RollupDeltas;
  /** Newest reading per water series, so that in-order readings (the common case) need no lookups. */
  private readonly newest = new Map<number, Reading | null>();
  private readonly st: ReturnType<typeof prepare>;

  constructor(
    db: Database.Database,
    private readonly limits: WriterLimits,
  ) {
    this.series = new SeriesCache(db);
    this.water = new RollupDeltas(db, 'water_rollup', WATER_METRICS.length, limits.slotMs);
    this.elevator = new RollupDeltas(db, 'elevator_rollup', ELEVATOR_METRICS.length, limits.slotMs);
    this.st = prepare(db);
  }

  /** Call inside a transaction. Returns how many points were stored and how many were too old to keep. */
  write(points: readonly TelemetryPoint[], now: number): { stored: number; tooOld: number } {
    const rawCutoff = now - this.limits.rawRetentionMs;
    const rollupCutoff = now - this.limits.rollupRetentionMs;
    let stored = 0;
    let tooOld = 0;
    const water: Array<{ series: number; p: WaterPoint }> = [];
    // Newest state per elevator series in this batch: one upsert each instead of one per sample.
    const last = new Map<number, { ts: number; state: number }>();
    for (const p of points) {
      const isRaw = p.m === 'water' || p.m === 'elevator_state' || p.m === 'device_health';
      if (p.ts < (isRaw ? rawCutoff : rollupCutoff)) {
        tooOld++;
        continue;
      }
      stored++;
      switch (p.m) {
        case 'water':
          water.push({ series: this.series.idOf(waterKey(p)), p });
          break;
        case 'elevator_state': {
          const s = this.series.idOf(elevatorKey(p));
          const state = packElevatorState(p);
          if (this.st.newState.run(s, p.ts, p.floor, state, p.speedMps).changes > 0) this.elevator.add(s, p.ts, ELEVATOR_SAMPLES, 1);
          else this.st.state.run(p.floor, state, p.speedMps, s, p.ts);
          const l = last.get(s);
          if (!l || p.ts >= l.ts) last.set(s, { ts: p.ts, state });
          break;
        }
        case 'elevator_trip':
          this.elevator.add(this.series.idOf(elevatorKey(p)), p.ts, 0, 1);
          break;
        case 'elevator_door_cycle':
          this.elevator.add(this.series.idOf(elevatorKey(p)), p.ts, 1, 1);
          break;
        case 'elevator_downtime':
          this.elevator.add(this.series.idOf(elevatorKey(p)), p.ts, downtimeIndex(p.reason), p.durationMs);
          break;
        case 'device_event': {
          const s = this.series.idOf(p);
          const fresh = this.st.event.run(s, p.ts, p.event, p.heldMs ?? null, p.receivedAt).changes > 0;
          if (fresh && p.kind === 'elevator' && ELEVATOR_FAULT_EVENTS.includes(p.event)) this.elevator.add(s, p.ts, 2, 1);
          if (fresh && p.subjectType === 'elevator') this.elevator.add(s, p.ts, ELEVATOR_SAMPLES, 1);
          break;
        }
        case 'device_status':
          this.st.event.run(this.series.idOf(p), p.ts, p.online ? 'online' : 'offline', null, p.receivedAt);
          break;
        case 'device_health':
          // At most one health row per device and hour: battery drains over months, and a row per
          // 15-minute reading would double the size of the raw data for no use.
          this.st.health.run(this.series.idOf(p), Math.floor(p.ts / HOUR_MS), p.ts, p.batteryPct ?? null, p.rssi ?? null, p.valve ?? null);
          break;
      }
    }
    for (const [s, l] of last) this.st.last.run(s, l.ts, l.state);
    this.writeWater(water, rollupCutoff);
    this.water.apply();
    this.elevator.apply();
    return { stored, tooOld };
  }

  /** After a failed transaction: in-memory caches may describe rows that were rolled back. */
  reset(): void {
    this.newest.clear();
    this.water.discard();
    this.elevator.discard();
    this.series.reset();
  }

  private writeWater(items: Array<{ series: number; p: WaterPoint }>, rollupCutoff: number): void {
    items.sort((a, b) => a.series - b.series || a.p.ts - b.p.ts);
    const change = (series: number, a: Reading | undefined, b: Reading | undefined, sign: 1 | -1) => {
      if (!a || !b || b.ts < rollupCutoff) return;
      const ml = intervalUsageMl(a, b);
      if (ml === null) return;
      this.water.add(series, b.ts, 0, sign * ml);
      this.water.add(series, b.ts, 1, sign);
    };
    for (const { series, p } of items) {
      let newest = this.newest.get(series);
      if (newest === undefined) {
        newest = this.st.newest.get(series) ?? null;
        this.newest.set(series, newest);
      }
      let prev: Reading | undefined;
      let next: Reading | undefined;
      let existing: Reading | undefined;
      if (!newest || p.ts > newest.ts) {
        prev = newest ?? undefined;
      } else {
        existing = this.st.at.get(series, p.ts);
        prev = this.st.before.get(series, p.ts);
        next = this.st.after.get(series, p.ts);
      }
      if (existing && existing.totalL === p.totalL) {
        this.st.flow.run(p.flowLpm ?? null, series, p.ts);
        continue;
      }
      if (existing) {
        change(series, prev, existing, -1);
        change(series, existing, next, -1);
      } else {
        change(series, prev, next, -1);
      }
      change(series, prev, p, 1);
      change(series, p, next, 1);
      this.st.reading.run(series, p.ts, p.totalL, p.flowLpm ?? null);
      if (!newest || p.ts >= newest.ts) this.newest.set(series, { ts: p.ts, totalL: p.totalL });
    }
  }
}

function waterKey(p: WaterPoint): SeriesKey {
  return { device: p.device, kind: 'water_meter', subjectType: p.resident ? 'resident' : 'device', subject: p.resident ?? p.device, site: p.site };
}

function elevatorKey(p: { device: string; elevator: string; site: string }): SeriesKey {
  return { device: p.device, kind: 'elevator', subjectType: 'elevator', subject: p.elevator, site: p.site };
}

function prepare(db: Database.Database) {
  return {
    reading: db.prepare<[number, number, number, number | null]>('INSERT OR REPLACE INTO water_reading (series, ts, total_l, flow_lpm) VALUES (?, ?, ?, ?)'),
    flow: db.prepare<[number | null, number, number]>('UPDATE water_reading SET flow_lpm = ? WHERE series = ? AND ts = ?'),
    newest: db.prepare<[number], Reading>('SELECT ts, total_l AS totalL FROM water_reading WHERE series = ? ORDER BY ts DESC LIMIT 1'),
    at: db.prepare<[number, number], Reading>('SELECT ts, total_l AS totalL FROM water_reading WHERE series = ? AND ts = ?'),
    before: db.prepare<[number, number], Reading>('SELECT ts, total_l AS totalL FROM water_reading WHERE series = ? AND ts < ? ORDER BY ts DESC LIMIT 1'),
    after: db.prepare<[number, number], Reading>('SELECT ts, total_l AS totalL FROM water_reading WHERE series = ? AND ts > ? ORDER BY ts ASC LIMIT 1'),
    newState: db.prepare<[number, number, number, number, number]>('INSERT OR IGNORE INTO elevator_state (series, ts, floor, state, speed_mps) VALUES (?, ?, ?, ?, ?)'),
    state: db.prepare<[number, number, number, number, number]>('UPDATE elevator_state SET floor = ?, state = ?, speed_mps = ? WHERE series = ? AND ts = ?'),
    last: db.prepare<[number, number, number]>(
      'INSERT INTO elevator_last (series, ts, state) VALUES (?, ?, ?) ON CONFLICT (series) DO UPDATE SET ts = excluded.ts, state = excluded.state WHERE excluded.ts >= elevator_last.ts',
    ),
    event: db.prepare<[number, number, string, number | null, number]>('INSERT OR IGNORE INTO device_event (series, ts, event, held_ms, received_at) VALUES (?, ?, ?, ?, ?)'),
    health: db.prepare<[number, number, number, number | null, number | null, string | null]>(
      'INSERT OR IGNORE INTO device_health (series, hour, ts, battery_pct, rssi, valve) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };
}
