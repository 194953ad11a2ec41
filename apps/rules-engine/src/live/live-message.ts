import { z } from 'zod';
import { alertSummary } from '../alerts/alert.view';
import type { SeqEvent } from '../store/recorded-event';

/**
 * A stored core event as pushed to a client: `{"type": event type, "seq": N, ...event}`. Alerts go
 * without their timeline (the `entry` just appended is included; GET /api/alerts/{id} has it all).
 */
export function pushOf(s: SeqEvent): Record<string, unknown> {
  const e = s.event;
  if (e.type === 'alert') {
    const { escalatedTo: _escalatedTo, ...rest } = e;
    return { ...rest, seq: s.seq, alert: alertSummary(e.alert) };
  }
  return { ...e, seq: s.seq };
}

/** What a client may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resume'), since: z.int().min(0) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** The query of `/ws?token=TOKEN&since=SEQ`. */
export const connectQuerySchema = z.object({
  token: z.string().min(1).max(200),
  since: z.coerce.number().int().min(0).optional(),
});

/** Close codes: 4401 bad or expired token (like HTTP 401), 4400 bad request, 4409 too slow to keep up (resume with `since`). */
export const CLOSE = { unauthorized: 4401, badRequest: 4400, tooSlow: 4409, goingAway: 1001 } as const;
