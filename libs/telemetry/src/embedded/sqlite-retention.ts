import type Database from 'better-sqlite3';
import { DAY_MS, HOUR_MS } from '../time/zone-clock';

export interface RetentionLimits {
  rawRetentionMs: number;
  rollupRetentionMs: number;
}

export interface PruneResult {
  rawRows: number;
  rollupRows: number;
  eventRows: number;
}

/**
 * Deletes what has outlived its retention, one series at a time: every table is clustered by
 * (series, ts), so per-series range deletes touch only the expired pages, where a single
 * `WHERE ts < ?` would scan every table in full.
 * Each water series keeps its newest reading before the raw cutoff as an anchor: a late reading
 * just after the cutoff then still finds the reading before it, and its usage is right.
 */
export function pruneTelemetry(db: Database.Database, now: number, limits: RetentionLimits): PruneResult {
  const rawCutoff = now - limits.rawRetentionMs;
  const rollupCutoff = now - limits.rollupRetentionMs;
  const rollupDay = Math.floor(rollupCutoff / DAY_MS);
  const series = db.prepare<[], { id: number }>('SELECT id FROM series').all();
  const st = {
    water: db.prepare('DELETE FROM water_reading WHERE series = ? AND ts < (SELECT MAX(ts) FROM water_reading WHERE series = ? AND ts < ?)'),
    state: db.prepare('DELETE FROM elevator_state WHERE series = ? AND ts < ?'),
    health: db.prepare('DELETE FROM device_health WHERE series = ? AND hour < ?'),
    event: db.prepare('DELETE FROM device_event WHERE series = ? AND ts < ?'),
    waterRollup: db.prepare('DELETE FROM water_rollup WHERE series = ? AND day < ?'),
    elevatorRollup: db.prepare('DELETE FROM elevator_rollup WHERE series = ? AND day < ?'),
  };
  const result: PruneResult = { rawRows: 0, rollupRows: 0, eventRows: 0 };
  db.transaction(() => {
    for (const { id } of series) {
      result.rawRows += st.water.run(id, id, rawCutoff).changes;
      result.rawRows += st.state.run(id, rawCutoff).changes;
      result.rawRows += st.health.run(id, Math.floor(rawCutoff / HOUR_MS)).changes;
      result.eventRows += st.event.run(id, rollupCutoff).changes;
      result.rollupRows += st.waterRollup.run(id, rollupDay).changes + st.elevatorRollup.run(id, rollupDay).changes;
    }
  })();
  return result;
}
