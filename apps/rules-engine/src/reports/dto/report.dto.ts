import { z } from 'zod';
import { TEAMS } from '../response-report';

export const responseTimesQuerySchema = z
  .object({
    site: z.string().min(1).max(64).optional(),
    /** A month of each site's local calendar; default: the current one. */
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
      .optional(),
    team: z.enum(TEAMS).optional(),
  })
  .strict();
export type ResponseTimesQuery = z.infer<typeof responseTimesQuerySchema>;
