import { DIRECTIONS, DOOR_STATES, ELEVATOR_MODES, POWER_STATES } from '@hearthbeat/contracts';
import { addTailDowntime, addToSlot, downtimeIndex, elevatorBuckets, ELEVATOR_METRICS, ELEVATOR_SAMPLES, waterBuckets, WATER_METRICS, type SlotSums } from '../aggregate/slot-aggregates';
import { DOWNTIME_REASONS, ELEVATOR_FAULT_EVENTS, type DowntimeReason } from '../points/telemetry-point';
import { InfluxQueryError } from '../telemetry.errors';
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
import { zoneClock } from '../time/zone-clock';
import { lit, num, rowsOf, type InfluxCell, type InfluxQlClient, type InfluxSeries } from './influxql.client';

type Q<K extends keyof TelemetryStore> = TelemetryStore[K] extends (q: infer A) => unknown ? A : never;

const timeIn = (from: number, to: number) => `time >= ${from}ms AND time < ${to}ms`;
const groupSlot = (slotMs: number) => `GROUP BY time(${slotMs / 60_000}m) fill(none)`;

/**
 * The history queries in InfluxQL (schema in docs/telemetry.md). Aggregates are summed per UTC slot
 * by the server (`GROUP BY time(1h)`, or 15m for zones with quarter-hour offsets) and folded into the
 * site's local hours and days here, by the same code as the embedded store: InfluxQL's `tz()` clause
 * would do the same on 1.x and 2.x, but InfluxDB 3 Cloud Serverless does not support it, and one fold
 * keeps the two stores' answers identical by construction (a test checks `tz()` agrees on 1.x).
 * Water usage is `NON_NEGATIVE_DIFFERENCE` of the cumulative register per device, so a register going
 * down is never usage, and the first interval of the range reaches back to the reading before it.
 */
export class InfluxQlTelemetryReader {
  constructor(
    private readonly client: InfluxQlClient,
    private readonly offlineAfterMs: number,
    private readonly now: () => number,
  ) {}

  async waterReadings(q: Q<'waterReadings'>): Promise<WaterReadingRow[]> {
    checkRange(q.from, q.to);
    const who = 'resident' in q ? `resident = ${lit(q.resident)}` : `device = ${lit(q.device)}`;
    const [series] = await this.client.query([`SELECT totalL, flowLpm, device FROM water WHERE ${who} AND ${timeIn(q.from, q.to)} ORDER BY time ASC LIMIT ${q.limit ?? DEFAULT_QUERY_LIMIT}`]);
    return flatRows(series).map((r) => ({ ts: num(r.time), device: String(r.device), totalL: num(r.totalL), ...(r.flowLpm !== null && r.flowLpm !== undefined ? { flowLpm: num(r.flowLpm) } : {}) }));
  }

  async waterUsage(q: Q<'waterUsage'>): Promise<WaterUsageBucket[]> {
    const { buckets, slotMs, from, to } = bucketsFor(q.timeZone, q.unit, q.from, q.to);
    const who = `resident = ${lit(q.resident)}`;
    // The reading before the range, per meter: its interval to the first reading inside is usage too.
    const [before] = await this.client.query([`SELECT LAST(totalL) FROM water WHERE ${who} AND time < ${from}ms GROUP BY device`]);
    const lookFrom = Math.min(from, ...(before ?? []).flatMap((s) => rowsOf(s).map((r) => num(r.time))));
    const [sumsSeries] = await this.client.query([
      `SELECT SUM(u) AS usage, COUNT(u) AS n FROM (SELECT NON_NEGATIVE_DIFFERENCE(totalL) AS u FROM water WHERE ${who} AND ${timeIn(lookFrom, to)} GROUP BY device) WHERE ${timeIn(from, to)} ${groupSlot(slotMs)}`,
    ]);
    const sums: SlotSums = new Map();
    for (const r of flatRows(sumsSeries)) {
      const slot = num(r.time);
      addToSlot(sums, slot, WATER_METRICS.length, 0, Math.round(num(r.usage) * 1000));
      addToSlot(sums, slot, WATER_METRICS.length, 1, num(r.n));
    }
    return waterBuckets(buckets, sums);
  }

  async elevatorStates(q: Q<'elevatorStates'>): Promise<ElevatorStateRow[]> {
    checkRange(q.from, q.to);
    const [series] = await this.client.query([
      `SELECT floor, doorZone, direction, door, occupied, speedMps, mode, power, device FROM elevator_state WHERE elevator = ${lit(q.elevator)} AND ${timeIn(q.from, q.to)} ORDER BY time ASC LIMIT ${q.limit ?? DEFAULT_QUERY_LIMIT}`,
    ]);
    return flatRows(series).map((r) => ({
      ts: num(r.time),
      device: String(r.device),
      floor: num(r.floor),
      doorZone: r.doorZone === true,
      direction: oneOf(DIRECTIONS, r.direction),
      door: oneOf(DOOR_STATES, r.door),
      occupied: r.occupied === true,
      speedMps: num(r.speedMps),
      mode: oneOf(ELEVATOR_MODES, r.mode),
      power: oneOf(POWER_STATES, r.power),
    }));
  }

  async elevatorEvents(q: Q<'elevatorEvents'>): Promise<DeviceEventRow[]> {
    checkRange(q.from, q.to);
    const faults = q.faultsOnly ? ` AND (${faultFilter()})` : '';
    const [series] = await this.client.query([
      `SELECT heldMs, receivedAt, event, device FROM device_event WHERE ${elevatorSubject(q.elevator)}${faults} AND ${timeIn(q.from, q.to)} ORDER BY time ASC LIMIT ${q.limit ?? DEFAULT_QUERY_LIMIT}`,
    ]);
    return flatRows(series)
      .map((r) => {
        const event = String(r.event);
        return { ts: num(r.time), device: String(r.device), event, ...(r.heldMs !== null && r.heldMs !== undefined ? { heldMs: num(r.heldMs) } : {}), fault: ELEVATOR_FAULT_EVENTS.includes(event) };
      })
      .sort((a, b) => a.ts - b.ts || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
  }

  async elevatorActivity(q: Q<'elevatorActivity'>): Promise<ElevatorActivityBucket[]> {
    const { buckets, slotMs, from, to } = bucketsFor(q.timeZone, q.unit, q.from, q.to);
    const el = `elevator = ${lit(q.elevator)}`;
    const [trips, cycles, faults, downtime, last, states, events] = await this.client.query([
      `SELECT COUNT(toFloor) AS n FROM elevator_trip WHERE ${el} AND ${timeIn(from, to)} ${groupSlot(slotMs)}`,
      `SELECT COUNT(openMs) AS n FROM elevator_door_cycle WHERE ${el} AND ${timeIn(from, to)} ${groupSlot(slotMs)}`,
      `SELECT COUNT(receivedAt) AS n FROM device_event WHERE ${elevatorSubject(q.elevator)} AND (${faultFilter()}) AND ${timeIn(from, to)} ${groupSlot(slotMs)}`,
      `SELECT SUM(durationMs) AS ms FROM elevator_downtime WHERE ${el} AND ${timeIn(from, to)} GROUP BY time(${slotMs / 60_000}m), reason fill(none)`,
      // The newest sample at all: downtime after it is not stored yet (see addTailDowntime).
      `SELECT mode, power FROM elevator_state WHERE ${el} ORDER BY time DESC LIMIT 1`,
      // Samples: the state points and the event points the terminal reported (every point has these fields).
      `SELECT COUNT(floor) AS n FROM elevator_state WHERE ${el} AND ${timeIn(from, to)} ${groupSlot(slotMs)}`,
      `SELECT COUNT(receivedAt) AS n FROM device_event WHERE ${elevatorSubject(q.elevator)} AND ${timeIn(from, to)} ${groupSlot(slotMs)}`,
    ]);
    const width = ELEVATOR_METRICS.length;
    const sums: SlotSums = new Map();
    for (const r of flatRows(trips)) addToSlot(sums, num(r.time), width, 0, num(r.n));
    for (const r of flatRows(cycles)) addToSlot(sums, num(r.time), width, 1, num(r.n));
    for (const r of flatRows(faults)) addToSlot(sums, num(r.time), width, 2, num(r.n));
    for (const r of [...flatRows(states), ...flatRows(events)]) addToSlot(sums, num(r.time), width, ELEVATOR_SAMPLES, num(r.n));
    for (const s of downtime ?? []) {
      const reason = s.tags?.reason;
      if (!reason || !(DOWNTIME_REASONS as readonly string[]).includes(reason)) continue;
      for (const r of rowsOf(s)) addToSlot(sums, num(r.time), width, downtimeIndex(reason as DowntimeReason), num(r.ms));
    }
    const newest = flatRows(last)[0];
    if (newest) {
      addTailDowntime(sums, { ts: num(newest.time), mode: oneOf(ELEVATOR_MODES, newest.mode), power: oneOf(POWER_STATES, newest.power) }, { from, to }, this.now(), this.offlineAfterMs, slotMs);
    }
    return elevatorBuckets(buckets, sums);
  }
}

function bucketsFor(timeZone: string, unit: BucketUnit, from: number, to: number): { buckets: LocalBucket[]; slotMs: number; from: number; to: number } {
  const zone = zoneClock(timeZone);
  const buckets = localBuckets(zone, unit, from, to);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last) throw new InfluxQueryError('empty range');
  return { buckets, slotMs: slotMsFor(zone, buckets), from: first.start, to: last.end };
}

function elevatorSubject(elevator: string): string {
  return `subject_type = 'elevator' AND subject = ${lit(elevator)}`;
}

function faultFilter(): string {
  return ELEVATOR_FAULT_EVENTS.map((e) => `event = ${lit(e)}`).join(' OR ');
}

/** All rows of all series (a raw query without GROUP BY answers one series; be lenient). */
function flatRows(series: InfluxSeries[] | undefined): Array<Record<string, InfluxCell>> {
  return (series ?? []).flatMap((s) => rowsOf(s));
}

function oneOf<T extends string>(allowed: readonly T[], v: InfluxCell | undefined): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new InfluxQueryError(`unexpected value ${JSON.stringify(v)} from InfluxDB; expected one of ${allowed.join('|')}`);
}
