import { z } from 'zod';
import { CALL_RESULTS } from '@hearthbeat/contracts';
import { ApiError, type ApiClient } from '../api/client';

/**
 * Telemetry history and learned routines from the engine (docs/api.md, "History"). The routes are
 * known; what is not certain is that this engine serves them: an older engine answers 404 `not_found`
 * for the route, and a platform running without a telemetry store (`HB_TELEMETRY_STORE=none`) answers
 * 503 `history_unavailable`. Both become `{ unavailable }`, shown as "history not available", never as
 * an empty chart that reads as "no water used" or "no faults".
 */
export type UnavailableReason = 'no_route' | 'no_store';
export interface Unavailable {
  unavailable: UnavailableReason;
}
export type HistoryAnswer<T> = T | Unavailable;

export function isUnavailable<T>(x: HistoryAnswer<T> | undefined): x is Unavailable {
  return typeof x === 'object' && x !== null && 'unavailable' in x;
}

/** 404 for a missing subject is a real error (the page says "not found"); 404 for the route is not. */
const SUBJECT_NOT_FOUND = new Set(['resident_not_found', 'elevator_not_found']);

export function unavailableReason(err: unknown): UnavailableReason | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.status === 503 && err.code === 'history_unavailable') return 'no_store';
  if (err.status === 404 && !SUBJECT_NOT_FOUND.has(err.code)) return 'no_route';
  return undefined;
}

/** GET a history route; "not served here" becomes `{ unavailable }`, every other failure stays an error. */
export async function getHistory<S extends z.ZodType>(api: ApiClient, path: string, schema: S, signal?: AbortSignal): Promise<HistoryAnswer<z.output<S>>> {
  try {
    return await api.get(path, schema, signal);
  } catch (err) {
    const reason = unavailableReason(err);
    if (reason) return { unavailable: reason };
    throw err;
  }
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

const id = (s: string) => encodeURIComponent(s);

export type WaterUnit = 'quarter' | 'hour' | 'day';
export type ActivityUnit = 'hour' | 'day';
export interface RangeQuery {
  from: number;
  to: number;
  /** IANA zone; the engine defaults to the subject's site zone. */
  timeZone?: string;
}

export const historyPaths = {
  water: (resident: string, q: RangeQuery & { unit: WaterUnit }) => `/api/residents/${id(resident)}/history/water?${query({ ...q })}`,
  routine: (resident: string) => `/api/residents/${id(resident)}/routine`,
  checkCalls: (resident: string, q: { limit?: number } = {}) => `/api/residents/${id(resident)}/check-calls${q.limit !== undefined ? `?${query(q)}` : ''}`,
  activity: (elevator: string, q: RangeQuery & { unit: ActivityUnit }) => `/api/elevators/${id(elevator)}/history/activity?${query({ ...q })}`,
  events: (elevator: string, q: { from: number; to: number; faultsOnly?: boolean; limit?: number }) => `/api/elevators/${id(elevator)}/history/events?${query({ ...q })}`,
  states: (elevator: string, q: { from: number; to: number; limit?: number }) => `/api/elevators/${id(elevator)}/history/states?${query({ ...q })}`,
};

// Objects are loose (zod's default): fields a newer engine adds are ignored.
const ms = z.number();
const store = z.string();

/** Water used in one local bucket; `intervals: 0` is "no data" (a silent meter), not "no water used". */
export const waterBucketSchema = z.object({ start: ms, end: ms, label: z.string(), usageL: z.number(), intervals: z.number() });
export type WaterBucket = z.infer<typeof waterBucketSchema>;

export const waterHistorySchema = z.object({
  resident: z.string(),
  site: z.string(),
  timeZone: z.string(),
  unit: z.enum(['quarter', 'hour', 'day']),
  from: ms,
  to: ms,
  store,
  buckets: z.array(waterBucketSchema),
});
export type WaterHistory = z.infer<typeof waterHistorySchema>;

const hhmm = z.string();
export const routineBoundsSchema = z.object({
  days: z.number(),
  sameDayType: z.boolean(),
  firstUse: z.object({ from: hhmm, to: hhmm }),
  lastUse: z.object({ from: hhmm, to: hhmm }),
  longestQuietMin: z.number(),
  longestQuietByPart: z.object({ morning: z.number(), afternoon: z.number(), evening: z.number() }),
});
export type RoutineBounds = z.infer<typeof routineBoundsSchema>;

export const EXPECTATION_KINDS = ['morning', 'quiet', 'bed'] as const;
export const ROUTINE_STATUSES = ['off', 'learning', 'learned'] as const;

export const routineSchema = z.object({
  resident: z.string(),
  timeZone: z.string(),
  enabled: z.boolean(),
  status: z.enum(ROUTINE_STATUSES),
  learnedDays: z.number(),
  warmupDays: z.number(),
  dayStartsAt: hhmm,
  weekday: routineBoundsSchema.nullable(),
  weekend: routineBoundsSchema.nullable(),
  expecting: z.object({ kind: z.enum(EXPECTATION_KINDS), due: ms, since: ms.optional(), callAt: ms.optional() }).nullable(),
  /** Relative water uses per 15-min slot of the local day (96 slots), learned. */
  profile: z.array(z.number()),
  markedNormalDays: z.number(),
  missedCalls: z.number(),
});
export type RoutineView = z.infer<typeof routineSchema>;

/** Why the routine would not ring a resident first (GET .../check-calls `checkIn.because`). */
export const NOT_RINGING = ['site_step_off', 'no_phone', 'routine_off', 'calls_off'] as const;
const callResult = z.enum(CALL_RESULTS);

/** One check-in call the learned routine placed before any alert (docs/api.md, "check-calls"). */
export const checkCallSchema = z.object({
  callId: z.string(),
  placedAt: ms,
  timeoutAt: ms,
  /** Why the resident was rung, as the engine wrote it. */
  reason: z.string(),
  /** Absent while the call rings. */
  result: callResult.optional(),
  /** No result by the timeout: counted as `no_answer`. */
  timedOut: z.boolean().optional(),
  resultAt: ms.optional(),
  /** An answer after the call was settled or superseded: recorded, never acted on. */
  late: z.object({ result: callResult, at: ms }).optional(),
});
export type CheckCallView = z.infer<typeof checkCallSchema>;

export const checkCallsSchema = z.object({
  resident: z.string(),
  /** Whether a long daytime silence would ring the resident now, and if not why (a newer engine may add reasons). */
  checkIn: z.object({ ringsFirst: z.boolean(), because: z.string().optional() }),
  /** Newest first. */
  calls: z.array(checkCallSchema),
});
export type CheckCallsView = z.infer<typeof checkCallsSchema>;

export type CheckCallOutcome = (typeof CALL_RESULTS)[number] | 'ringing';

/** What became of a call: its result, or `ringing` while none came. */
export function checkCallOutcome(c: CheckCallView): CheckCallOutcome {
  return c.result ?? 'ringing';
}

export const DOWNTIME_REASONS = ['offline', 'out_of_service', 'maintenance', 'power_off'] as const;
export type DowntimeReason = (typeof DOWNTIME_REASONS)[number];

export const activityBucketSchema = z.object({
  start: ms,
  end: ms,
  label: z.string(),
  trips: z.number(),
  doorCycles: z.number(),
  faults: z.number(),
  downtimeMs: z.number(),
  downtime: z.object({ offline: z.number(), out_of_service: z.number(), maintenance: z.number(), power_off: z.number() }),
  /** State samples and events the terminal reported; 0 is "no data" (silent, or not installed yet), not "not used". Absent from an engine older than the field. */
  samples: z.number().optional(),
});
export type ActivityBucket = z.infer<typeof activityBucketSchema>;

export const activityHistorySchema = z.object({
  elevator: z.string(),
  site: z.string(),
  timeZone: z.string(),
  unit: z.enum(['hour', 'day']),
  from: ms,
  to: ms,
  store,
  /** 0..1: share of the elapsed part of the range the car was not down; null when nothing is known. */
  availability: z.number().nullable(),
  buckets: z.array(activityBucketSchema),
});
export type ActivityHistory = z.infer<typeof activityHistorySchema>;

export const elevatorEventSchema = z.object({ ts: ms, device: z.string(), event: z.string(), heldMs: z.number().optional(), fault: z.boolean() });
export type ElevatorEventRow = z.infer<typeof elevatorEventSchema>;
export const elevatorEventsSchema = z.object({ elevator: z.string(), events: z.array(elevatorEventSchema) });

/** Totals of a water answer: litres where the meter reported, and how many buckets had no data. */
export function waterTotals(buckets: readonly WaterBucket[]): { litres: number; withData: number; noData: number } {
  let litres = 0;
  let withData = 0;
  for (const b of buckets) {
    if (b.intervals === 0) continue;
    litres += b.usageL;
    withData++;
  }
  return { litres, withData, noData: buckets.length - withData };
}

/** Whether the lift's terminal reported in a bucket: `samples: 0` is "no data", never "0 trips" (unknown from an older engine: as before). */
export function liftReported(b: ActivityBucket): boolean {
  return b.samples === undefined || b.samples > 0;
}

/** Totals of an activity answer: trips and faults where the terminal reported, and how many buckets had no data. */
export function activityTotals(buckets: readonly ActivityBucket[]): { trips: number; faults: number; withData: number; noData: number } {
  let trips = 0;
  let faults = 0;
  let withData = 0;
  for (const b of buckets) {
    if (!liftReported(b)) continue;
    trips += b.trips;
    faults += b.faults;
    withData++;
  }
  return { trips, faults, withData, noData: buckets.length - withData };
}

/** Downtime of a range by reason (ms), summed over its buckets. */
export function downtimeByReason(buckets: readonly ActivityBucket[]): Record<DowntimeReason, number> {
  const out: Record<DowntimeReason, number> = { offline: 0, out_of_service: 0, maintenance: 0, power_off: 0 };
  for (const b of buckets) for (const r of DOWNTIME_REASONS) out[r] += b.downtime[r];
  return out;
}
