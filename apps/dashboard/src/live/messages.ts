import { z } from 'zod';
import { RISK_COLOURS, SUBJECT_TYPES } from '@hearthbeat/contracts';
import { alertSchema, awayEntrySchema, carStateSchema, timelineEntrySchema, userSchema } from '../api/schemas';

/**
 * Frames the engine pushes on /ws (apps/rules-engine/src/live): stored events carry `seq`, the
 * resume point after a reconnection; `hello`, `synced`, `heartbeat` and `reset` frame the stream.
 */
const seq = z.number().int().min(0);
const subjectRef = z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() });

export const helloSchema = z.object({ type: z.literal('hello'), user: userSchema.partial().optional(), seq, heartbeatS: z.number().positive().default(25) });
export const syncedSchema = z.object({ type: z.literal('synced'), seq });
export const heartbeatSchema = z.object({ type: z.literal('heartbeat'), seq, at: z.number().optional() });
export const resetSchema = z.object({ type: z.literal('reset'), seq, message: z.string().optional() });

export const alertPushSchema = z.object({
  type: z.literal('alert'),
  seq,
  change: z.string(),
  at: z.number(),
  alert: alertSchema,
  entry: timelineEntrySchema.optional(),
  target: z.string().optional(),
});
export type AlertPush = z.infer<typeof alertPushSchema>;

export const riskPushSchema = z.object({
  type: z.literal('risk'),
  seq,
  subject: subjectRef,
  site: z.string(),
  colour: z.enum(RISK_COLOURS),
  previous: z.enum(RISK_COLOURS).optional(),
});
export const devicePushSchema = z.object({ type: z.literal('device'), seq, deviceId: z.string(), change: z.string(), online: z.boolean().optional() });
export const awayPushSchema = z.object({ type: z.literal('away'), seq, subject: subjectRef, change: z.string(), away: awayEntrySchema });
export const welcomeBackPushSchema = z.object({ type: z.literal('welcome_back'), seq, subject: subjectRef, message: z.string().optional() });
/** A check-in call placed before any alert, its result, or a late answer (docs/field-workflow.md): GET .../check-calls has it folded. */
export const checkCallPushSchema = z.object({ type: z.literal('check_call'), seq, change: z.string(), at: z.number(), subject: subjectRef, site: z.string(), callId: z.string() });

/** Not stored, so no `seq`: the car's latest state, sent as it changes and after every (re)sync. */
export const elevatorPushSchema = carStateSchema.extend({
  type: z.literal('elevator'),
  elevatorId: z.string(),
  site: z.string(),
  deviceId: z.string(),
  online: z.boolean(),
});
export type ElevatorPush = z.infer<typeof elevatorPushSchema>;

export const liveMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  syncedSchema,
  heartbeatSchema,
  resetSchema,
  alertPushSchema,
  riskPushSchema,
  devicePushSchema,
  awayPushSchema,
  welcomeBackPushSchema,
  checkCallPushSchema,
  elevatorPushSchema,
]);
export type LiveMessage = z.infer<typeof liveMessageSchema>;

/** Parses a frame; frames of a type this build does not know still report their `seq` (it counts for resuming). */
export function parseFrame(text: string): { message?: LiveMessage; seq?: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = liveMessageSchema.safeParse(raw);
  if (parsed.success) return { message: parsed.data, ...('seq' in parsed.data ? { seq: parsed.data.seq } : {}) };
  const s = z.object({ seq }).safeParse(raw);
  return s.success ? { seq: s.data.seq } : {};
}
