import { z } from 'zod';
import { isValidTimeZone } from '@hearthbeat/contracts';

const DAY_MS = 86_400_000;
const epochMs = z.coerce.number().int().min(0).max(8_640_000_000_000);
const timeZone = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The longest range each bucket width may ask for, and the span when `from` is left out. */
export const UNIT_LIMITS = {
  quarter: { maxMs: 7 * DAY_MS, defaultMs: DAY_MS },
  hour: { maxMs: 93 * DAY_MS, defaultMs: 7 * DAY_MS },
  day: { maxMs: 800 * DAY_MS, defaultMs: 30 * DAY_MS },
} as const;
export type HistoryUnit = keyof typeof UNIT_LIMITS;
/** Raw samples (elevator states and events): at most this range per request. */
export const RAW_RANGE_MAX_MS = 31 * DAY_MS;

const range = {
  /** Start, epoch ms (inclusive); default `to` minus the unit's default span. */
  from: epochMs.optional(),
  /** End, epoch ms (exclusive); default now. */
  to: epochMs.optional(),
};

export const waterHistoryQuerySchema = z
  .object({
    ...range,
    /** Bucket width: `quarter` (15 min), `hour` or `day` (local to `timeZone`). */
    unit: z.enum(['quarter', 'hour', 'day']).default('day'),
    /** IANA zone of the local hours and days; default the resident's site zone. */
    timeZone: timeZone.optional(),
  })
  .strict();
export type WaterHistoryQuery = z.infer<typeof waterHistoryQuerySchema>;

export const activityHistoryQuerySchema = z
  .object({
    ...range,
    unit: z.enum(['hour', 'day']).default('day'),
    timeZone: timeZone.optional(),
  })
  .strict();
export type ActivityHistoryQuery = z.infer<typeof activityHistoryQuerySchema>;

export const eventsHistoryQuerySchema = z
  .object({
    ...range,
    /** `true`: only faults (safety circuit, door lock, overrun, power lost). */
    faultsOnly: flag.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  })
  .strict();
export type EventsHistoryQuery = z.infer<typeof eventsHistoryQuerySchema>;

export const samplesHistoryQuerySchema = z
  .object({
    ...range,
    limit: z.coerce.number().int().min(1).max(10_000).default(5_000),
  })
  .strict();
export type SamplesHistoryQuery = z.infer<typeof samplesHistoryQuerySchema>;
