import { z } from 'zod';
import { CALL_RESULTS, checkInCallPolicySchema } from '@hearthbeat/contracts';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000);

/** `PUT /api/sites/:id/check-in-call`: the rules' policy plus the engine's gateway settings. */
export const checkInConfigSchema = checkInCallPolicySchema
  .extend({
    /** Where call requests are POSTed (the voice/SMS gateway). */
    gatewayUrl: httpUrl,
    /** HMAC key for requests and callbacks; generated (and returned once) when absent; kept when omitted on an update. */
    secret: z.string().min(16).max(256).optional(),
    /** The platform's address as the gateway reaches it (default: the address the engine listens on). */
    callbackBaseUrl: httpUrl.optional(),
  })
  .strict();
export type CheckInConfigInput = z.infer<typeof checkInConfigSchema>;

/** The gateway's callback body (`POST /api/calls/:callId/result`), signed like our requests. */
export const callResultSchema = z.object({
  callId: z.string().min(1).max(100),
  result: z.enum(CALL_RESULTS),
  /** When the gateway sent this callback (epoch ms): outside the replay window it is refused. */
  timestamp: z.int().min(0),
  note: z.string().max(2000).optional(),
});
export type CallResultInput = z.infer<typeof callResultSchema>;

/** Most calls `GET /api/residents/:id/check-calls` lists, and how many without `limit`. */
export const CHECK_CALLS_MAX = 200;
export const CHECK_CALLS_DEFAULT = 20;

export const checkCallsQuerySchema = z
  .object({
    /** How many of the latest calls (newest first). */
    limit: z.coerce.number().int().min(1).max(CHECK_CALLS_MAX).default(CHECK_CALLS_DEFAULT),
  })
  .strict();
export type CheckCallsQuery = z.infer<typeof checkCallsQuerySchema>;
