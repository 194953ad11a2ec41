import { z } from 'zod';
import { USER_ROLES } from '@hearthbeat/contracts';

export const loginSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const passwordChangeSchema = z.object({
  current: z.string().min(1).max(1024),
  /** The registry's rule for passwords: 8 to 256 characters. */
  new: z.string().min(8).max(256),
});
export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;

export const userViewSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  role: z.enum(USER_ROLES),
  sites: z.array(z.string()),
});
export const loginResultSchema = z.object({ token: z.string(), expiresAt: z.number(), user: userViewSchema });
