import { z } from 'zod';
import { MAINTENANCE_ACTIONS } from '../audit-chain';

export const maintenanceSchema = z
  .object({
    action: z.enum(MAINTENANCE_ACTIONS),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type MaintenanceInput = z.infer<typeof maintenanceSchema>;

export const maintenanceListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
export type MaintenanceListQuery = z.infer<typeof maintenanceListQuerySchema>;
