import { z } from 'zod';
import { DEVICE_KINDS, RISK_COLOURS } from '@hearthbeat/contracts';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const subjectListQuerySchema = z
  .object({
    site: z.string().min(1).max(64).optional(),
    /** Only subjects of this risk colour. */
    risk: z.enum(RISK_COLOURS).optional(),
  })
  .strict();
export type SubjectListQuery = z.infer<typeof subjectListQuerySchema>;

export const deviceListQuerySchema = z
  .object({
    site: z.string().min(1).max(64).optional(),
    kind: z.enum(DEVICE_KINDS).optional(),
    /** `true`: only devices the rules call offline; `false`: only online ones. */
    offline: flag.optional(),
    /** `true`: only devices reporting a low battery. */
    lowBattery: flag.optional(),
  })
  .strict();
export type DeviceListQuery = z.infer<typeof deviceListQuerySchema>;
