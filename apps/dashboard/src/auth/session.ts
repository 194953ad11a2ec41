import { loginResultSchema, type LoginResult } from '../api/schemas';

/**
 * The login token lives in sessionStorage: it survives a reload but not closing the tab, and a
 * shared desk computer does not keep a colleague signed in (the API's tokens last one shift).
 */
const KEY = 'hb.session';

export type Session = LoginResult;

export function loadSession(now = Date.now()): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const parsed = loginResultSchema.safeParse(JSON.parse(raw) as unknown);
    if (!parsed.success || parsed.data.expiresAt <= now) {
      sessionStorage.removeItem(KEY);
      return undefined;
    }
    return parsed.data;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
