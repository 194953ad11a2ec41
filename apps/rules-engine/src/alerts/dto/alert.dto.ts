import { z } from 'zod';
import { ALERT_STATES, OUTCOMES, SEVERITIES, SUBJECT_TYPES } from '@hearthbeat/contracts';

const epochMs = z.coerce.number().int().min(0);

export const alertListQuerySchema = z
  .object({
    state: z.enum([...ALERT_STATES, 'unresolved']).optional(),
    site: z.string().min(1).max(64).optional(),
    rule: z.string().min(1).max(64).optional(),
    severity: z.enum(SEVERITIES).optional(),
    subjectType: z.enum(SUBJECT_TYPES).optional(),
    subjectId: z.string().min(1).max(64).optional(),
    /** Opened at or after this time (epoch ms). */
    since: epochMs.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** From the X-Next-Cursor header (or the Link header) of the previous page. */
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

const ackSchemaShape = { note: z.string().max(2000).optional() };
export const ackSchema = z.object(ackSchemaShape).strict();
export const assignSchema = z.object({ assignee: z.string().min(1).max(64) }).strict();
export const commentSchema = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
export const resolveSchema = z
  .object({
    outcome: z.enum(OUTCOMES).refine((o) => o !== 'auto_cleared', 'auto_cleared is recorded by the rules, not by people'),
    note: z.string().max(2000).default(''),
  })
  .strict();
export const markNormalSchema = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
export const onSiteSchema = z.object({ note: z.string().trim().min(1).max(2000).optional() }).strict();
