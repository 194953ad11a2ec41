import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { UserRole } from '@hearthbeat/contracts';
import { ApiClient } from '../api/client';
import { loginResultSchema, type SessionUser } from '../api/schemas';
import { clearSession, loadSession, saveSession, type Session } from './session';

export type SubjectKind = 'resident' | 'elevator';

/** protocol.md: staff and supervisors look after residents, maintainers elevators, admin both. */
const KINDS: Record<UserRole, readonly SubjectKind[]> = {
  staff: ['resident'],
  supervisor: ['resident'],
  maintainer: ['elevator'],
  admin: ['resident', 'elevator'],
  service: ['resident', 'elevator'],
};

export function kindsOf(role: UserRole): readonly SubjectKind[] {
  return KINDS[role];
}

interface AuthValue {
  session: Session | undefined;
  user: SessionUser | undefined;
  api: ApiClient;
  /** Why the user is on the login page again (an expired session), once. */
  notice: 'expired' | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): void;
  /** The server refused the token (REST 401, WebSocket 4401): back to the login page, saying why. */
  expire(): void;
}

const AuthContext = createContext<AuthValue | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [notice, setNotice] = useState<'expired' | undefined>();
  // The client outlives renders; it reads the current token through this ref.
  const tokenRef = useRef<string | undefined>(session?.token);
  tokenRef.current = session?.token;

  const expire = useCallback(() => {
    clearSession();
    setSession(undefined);
    setNotice('expired');
  }, []);

  const api = useMemo(() => new ApiClient({ token: () => tokenRef.current, onUnauthorized: expire }), [expire]);

  const login = useCallback(
    async (username: string, password: string) => {
      const s = await api.post('/api/auth/login', { username, password }, loginResultSchema);
      saveSession(s);
      tokenRef.current = s.token;
      setNotice(undefined);
      setSession(s);
    },
    [api],
  );

  const logout = useCallback(() => {
    const token = tokenRef.current;
    clearSession();
    setSession(undefined);
    setNotice(undefined);
    // Revoke on the server too (it closes this token's live sockets); the UI does not wait for it.
    if (token) void fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  }, []);

  const value = useMemo<AuthValue>(() => ({ session, user: session?.user, api, notice, login, logout, expire }), [session, api, notice, login, logout, expire]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in user's session; only for components rendered behind the login. */
export function useSession(): Session & { api: ApiClient; kinds: readonly SubjectKind[] } {
  const { session, api } = useAuth();
  const value = useMemo(() => (session ? { ...session, api, kinds: kindsOf(session.user.role) } : undefined), [session, api]);
  if (!value) throw new Error('useSession without a session');
  return value;
}
