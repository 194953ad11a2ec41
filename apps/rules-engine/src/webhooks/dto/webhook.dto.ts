import { z } from 'zod';
import { ALERT_CHANGES } from '@hearthbeat/contracts';
import { DELIVERY_STATUSES } from '../webhook.store';

export const webhookCreateSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000),
    /** HMAC key; generated (and returned once) when absent. */
    secret: z.string().min(16).max(256).optional(),
    /** Which alert changes to send; all of them when absent. */
    changes: z.array(z.enum(ALERT_CHANGES)).min(1).optional(),
  })
  .strict();
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const deliveryListQuerySchema = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;
