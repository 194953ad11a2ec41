import type Database from 'better-sqlite3';
import type { Direction, DoorState, ElevatorMode, PowerState } from '@hearthbeat/contracts';
import { TelemetryConfigError } from '../telemetry.errors';

export const SCHEMA_VERSION = 1;

/**
 * Layout of `<dataDir>/telemetry.sqlite` (docs/telemetry.md, "Embedded layout"). Raw tables are keyed
 * (series, ts) WITHOUT ROWID: one B-tree each, clustered for the only access path (one series over a
 * time range). Rollups hold one row per series and UTC day (see slot-row.codec.ts).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  device TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject TEXT NOT NULL,
  site TEXT NOT NULL,
  UNIQUE (device, subject_type, subject, site)
);
CREATE INDEX IF NOT EXISTS series_by_subject ON series (subject_type, subject);
CREATE INDEX IF NOT EXISTS series_by_device ON series (device);
CREATE TABLE IF NOT EXISTS water_reading (
  series INTEGER NOT NULL, ts INTEGER NOT NULL, total_l REAL NOT NULL, flow_lpm REAL,
  PRIMARY KEY (series, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS elevator_state (
  series INTEGER NOT NULL, ts INTEGER NOT NULL, floor INTEGER NOT NULL, state INTEGER NOT NULL, speed_mps REAL NOT NULL,
  PRIMARY KEY (series, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS elevator_last (
  series INTEGER PRIMARY KEY, ts INTEGER NOT NULL, state INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS device_event (
  series INTEGER NOT NULL, ts INTEGER NOT NULL, event TEXT NOT NULL, held_ms INTEGER, received_at INTEGER NOT NULL,
  PRIMARY KEY (series, ts, event)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS device_health (
  series INTEGER NOT NULL, hour INTEGER NOT NULL, ts INTEGER NOT NULL, battery_pct REAL, rssi REAL, valve TEXT,
  PRIMARY KEY (series, hour)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS water_rollup (
  series INTEGER NOT NULL, day INTEGER NOT NULL, slots BLOB NOT NULL,
  PRIMARY KEY (series, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS elevator_rollup (
  series INTEGER NOT NULL, day INTEGER NOT NULL, slots BLOB NOT NULL,
  PRIMARY KEY (series, day)
) WITHOUT ROWID;
`;

/**
 * Creates or checks the schema. The slot width is fixed when the file is created: rollups written at
 * one width cannot be read at another.
 */
export function migrateTelemetrySchema(db: Database.Database, slotMinutes: number): void {
  db.exec(DDL);
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const version = get.get('schema_version');
  if (version && Number(version.value) > SCHEMA_VERSION) {
    throw new TelemetryConfigError(`telemetry.sqlite has schema ${version.value}, newer than this build (${SCHEMA_VERSION})`);
  }
  put.run('schema_version', String(SCHEMA_VERSION));
  const slot = get.get('slot_minutes');
  if (slot && Number(slot.value) !== slotMinutes) {
    throw new TelemetryConfigError(`telemetry.sqlite keeps ${slot.value}-minute rollup slots; rollupSlotMinutes=${slotMinutes} cannot read them`);
  }
  put.run('slot_minutes', String(slotMinutes));
}

// Elevator state packed in one integer. Append-only code tables: the numbers are on disk.
const DIRECTION_CODES: readonly Direction[] = ['stopped', 'up', 'down'];
const DOOR_CODES: readonly DoorState[] = ['closed', 'opening', 'open', 'closing'];
const MODE_CODES: readonly ElevatorMode[] = ['normal', 'inspection', 'maintenance', 'fire', 'out_of_service', 'emergency_power'];
const POWER_CODES: readonly PowerState[] = ['mains', 'battery', 'off'];

export interface PackedElevatorState {
  direction: Direction;
  door: DoorState;
  mode: ElevatorMode;
  power: PowerState;
  doorZone: boolean;
  occupied: boolean;
}

export function packElevatorState(s: PackedElevatorState): number {
  const code = <T>(table: readonly T[], v: T) => {
    const i = table.indexOf(v);
    if (i < 0) throw new RangeError(`no code for ${String(v)}`);
    return i;
  };
  return code(DIRECTION_CODES, s.direction) | (code(DOOR_CODES, s.door) << 2) | (code(MODE_CODES, s.mode) << 4) | (code(POWER_CODES, s.power) << 8) | (+s.doorZone << 10) | (+s.occupied << 11);
}

export function unpackElevatorState(n: number): PackedElevatorState {
  const pick = <T>(table: readonly T[], i: number): T => {
    const v = table[i];
    if (v === undefined) throw new RangeError(`unknown elevator state code ${n}`);
    return v;
  };
  return {
    direction: pick(DIRECTION_CODES, n & 3),
    door: pick(DOOR_CODES, (n >> 2) & 3),
    mode: pick(MODE_CODES, (n >> 4) & 15),
    power: pick(POWER_CODES, (n >> 8) & 3),
    doorZone: ((n >> 10) & 1) === 1,
    occupied: ((n >> 11) & 1) === 1,
  };
}
