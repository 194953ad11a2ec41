import { z } from 'zod';
import type { ApiClient } from '../api/client';
import { openApiSchema } from '../api/schemas';

/**
 * Telemetry history (libs/telemetry) reaches the dashboard through the engine's API once its routes
 * exist. Rather than guessing, the dashboard reads the served OpenAPI document and uses a history
 * route only when the engine lists it; otherwise the page says "history not available".
 */
export interface HistoryRoutes {
  /** e.g. `/api/residents/{id}/history/water`: water used per bucket. */
  waterUsage?: string;
  /** e.g. `/api/residents/{id}/routine`: the learned routine. */
  routine?: string;
  /** e.g. `/api/elevators/{id}/history/activity`: trips, faults and downtime per bucket. */
  elevatorActivity?: string;
  /** e.g. `/api/elevators/{id}/history/events`: fault events. */
  elevatorEvents?: string;
}

let detected: Promise<HistoryRoutes> | undefined;

export function historyRoutes(api: ApiClient): Promise<HistoryRoutes> {
  detected ??= api.get('/api/openapi.json', openApiSchema).then(
    (doc) => pickRoutes(Object.keys(doc.paths)),
    // No document, no history: try again on the next page visit.
    () => {
      detected = undefined;
      return {};
    },
  );
  return detected;
}

export function pickRoutes(paths: readonly string[]): HistoryRoutes {
  const find = (re: RegExp) => paths.find((p) => re.test(p));
  const out: HistoryRoutes = {};
  const water = find(/^\/api\/residents\/\{[^}]+\}\/(history\/)?water(-usage|\/usage)?$/);
  const routine = find(/^\/api\/residents\/\{[^}]+\}\/routine$/);
  const activity = find(/^\/api\/elevators\/\{[^}]+\}\/(history\/)?activity$/);
  const events = find(/^\/api\/elevators\/\{[^}]+\}\/(history\/)?(events|faults)$/);
  if (water) out.waterUsage = water;
  if (routine) out.routine = routine;
  if (activity) out.elevatorActivity = activity;
  if (events) out.elevatorEvents = events;
  return out;
}

export function fillPath(template: string, id: string): string {
  return template.replace(/\{[^}]+\}/, encodeURIComponent(id));
}

/** Water used in one bucket; `intervals: 0` is "no data" (a silent meter), not "no water used". */
export const waterBucketSchema = z.object({
  start: z.number(),
  end: z.number().optional(),
  label: z.string().optional(),
  usageL: z.number(),
  intervals: z.number().optional(),
});
export type WaterBucket = z.infer<typeof waterBucketSchema>;

/** A list, or an object holding it (`buckets`, `items`): both shapes are common for such routes. */
export const waterUsageAnswer = z.union([
  z.array(waterBucketSchema),
  z.object({ buckets: z.array(waterBucketSchema) }).transform((o) => o.buckets),
  z.object({ items: z.array(waterBucketSchema) }).transform((o) => o.items),
]);

export const activityBucketSchema = z.object({
  start: z.number(),
  end: z.number().optional(),
  label: z.string().optional(),
  trips: z.number().default(0),
  faults: z.number().default(0),
  downtimeMs: z.number().default(0),
});
export type ActivityBucket = z.infer<typeof activityBucketSchema>;
export const activityAnswer = z.union([
  z.array(activityBucketSchema),
  z.object({ buckets: z.array(activityBucketSchema) }).transform((o) => o.buckets),
  z.object({ items: z.array(activityBucketSchema) }).transform((o) => o.items),
]);

export const eventRowSchema = z.object({ ts: z.number(), event: z.string(), fault: z.boolean().optional(), heldMs: z.number().optional() });
export type EventRow = z.infer<typeof eventRowSchema>;
export const eventsAnswer = z.union([
  z.array(eventRowSchema),
  z.object({ items: z.array(eventRowSchema) }).transform((o) => o.items),
  z.object({ events: z.array(eventRowSchema) }).transform((o) => o.events),
]);
