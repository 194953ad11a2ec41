import type Database from 'better-sqlite3';
import type { Direction, DoorState, ElevatorMode, PowerState } from '@hearthbeat/contracts';
import { TelemetryConfigError } from '../telemetry.errors';
import { DAY_MS, MINUTE_MS } from '../time/zone-clock';
import { decodeSlots, encodeSlots } from './slot-row.codec';

/**
 * Schema versions, kept in `meta.schema_version`; a step once released is never edited, the next one
 * is added:
 * 1. the first layout (DDL below);
 * 2. `elevator_rollup` rows hold an eighth metric, `samples` (ELEVATOR_METRICS), which rows of
 *    version 1 lack: `addElevatorSamples` rewrites them, counting from the raw rows still kept.
 */
export const SCHEMA_VERSION = 2;

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
 * Creates the schema, or brings a file of an older version to this one, in one transaction (a failing
 * step leaves the file as it was). The slot width is fixed when the file is created: rollups written at
 * one width cannot be read at another. Returns the versions before and after (0: a new file).
 */
export function migrateTelemetrySchema(db: Database.Database, slotMinutes: number): { from: number; to: number } {
  // IMMEDIATE: two processes opening an old file at once must not both rewrite its rollups.
  return db
    .transaction(() => {
      db.exec(DDL);
      const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
      const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      const version = get.get('schema_version');
      const from = version ? Number(version.value) : 0;
      if (from > SCHEMA_VERSION) {
        throw new TelemetryConfigError(`telemetry.sqlite has schema ${from}, newer than this build (${SCHEMA_VERSION})`);
      }
      const slot = get.get('slot_minutes');
      if (slot && Number(slot.value) !== slotMinutes) {
        throw new TelemetryConfigError(`telemetry.sqlite keeps ${slot.value}-minute rollup slots; rollupSlotMinutes=${slotMinutes} cannot read them`);
      }
      // A new file (no version yet) has empty tables: nothing to rewrite.
      if (from === 1) addElevatorSamples(db, slotMinutes * MINUTE_MS);
      put.run('schema_version', String(SCHEMA_VERSION));
      put.run('slot_minutes', String(slotMinutes));
      return { from, to: SCHEMA_VERSION };
    })
    .immediate();
}

/**
 * Schema 1 -> 2: appends `samples` to every elevator rollup row (metric-major rows: the new metric's
 * slots go at the end) and adds rows for the days that had samples but nothing to count (a quiet day
 * wrote no row). Per slot: the state rows plus the elevator event rows (not the status changes kept
 * as `online`/`offline`) of the series. Raw states are kept 35 days, so in older slots they are gone:
 * there trips and door cycles, each stamped at a sample of its own slot, give a lower bound, so a slot
 * with activity never reads as "no data". For complete slots that bound is below the count anyway.
 */
function addElevatorSamples(db: Database.Database, slotMs: number): void {
  if (!Number.isSafeInteger(slotMs) || slotMs <= 0) throw new RangeError(`bad slot width ${slotMs}`);
  const perDay = DAY_MS / slotMs;
  // Fixed here, whatever later versions add: schema 1 rows hold 7 metrics (trips, door cycles, faults,
  // 4 downtime reasons); schema 2 rows the same and `samples`.
  const oldWidth = 7;
  const rows = new Map<number, { series: number; day: number; states: number[]; events: number[]; old?: number[] }>();
  const rowOf = (series: number, day: number) => {
    const key = series * 1_048_576 + day;
    let row = rows.get(key);
    if (!row) {
      row = { series, day, states: new Array<number>(perDay).fill(0), events: new Array<number>(perDay).fill(0) };
      rows.set(key, row);
    }
    return row;
  };
  const count = (sql: string, into: 'states' | 'events') => {
    for (const r of db.prepare<[], { series: number; slot: number; n: number }>(sql).iterate()) {
      const day = Math.floor((r.slot * slotMs) / DAY_MS);
      const s = r.slot - (day * DAY_MS) / slotMs;
      rowOf(r.series, day)[into][s] = r.n;
    }
  };
  count(`SELECT series, ts / ${slotMs} AS slot, count(*) AS n FROM elevator_state GROUP BY series, slot`, 'states');
  count(
    `SELECT e.series, e.ts / ${slotMs} AS slot, count(*) AS n FROM device_event e JOIN series s ON s.id = e.series
     WHERE s.subject_type = 'elevator' AND e.event NOT IN ('online', 'offline') GROUP BY e.series, slot`,
    'events',
  );
  for (const r of db.prepare<[], { series: number; day: number; slots: Buffer }>('SELECT series, day, slots FROM elevator_rollup').iterate()) {
    rowOf(r.series, r.day).old = decodeSlots(r.slots, oldWidth * perDay);
  }
  const write = db.prepare<[number, number, Buffer]>('INSERT OR REPLACE INTO elevator_rollup (series, day, slots) VALUES (?, ?, ?)');
  for (const row of rows.values()) {
    const old = row.old ?? new Array<number>(oldWidth * perDay).fill(0);
    const samples = row.states.map((n, s) => Math.max(n, old[s] ?? 0, old[perDay + s] ?? 0) + (row.events[s] ?? 0));
    write.run(row.series, row.day, encodeSlots([...old, ...samples]));
  }
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
