import type { UserRole } from '@hearthbeat/contracts';

/** The signed-in user of a request or a WebSocket, as the registry knows it now. */
export interface AuthUser {
  id: string;
  name?: string;
  role: UserRole;
  sites: string[];
  /** A short, non-secret handle of the login session (a prefix of the token's hash), for logs. */
  sessionId: string;
  expiresAt: number;
}

/** Who may call a route: anyone, any signed-in user, or the listed roles. */
export type AccessRule = { public: true } | { roles: 'any' | readonly UserRole[] };
export const ACCESS_KEY = 'hb:access';

/** Roles allowed to change things (acknowledge, comment, add absences): everyone but `service`. */
export const ACTING_ROLES: readonly UserRole[] = ['staff', 'supervisor', 'maintainer', 'admin'];
