import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import type { RegistryStore, UserRecord } from '@hearthbeat/registry';
import type { Clock } from '../driver/clock';
import type { EngineConfig } from '../engine.config';
import { CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY } from '../engine.tokens';
import { ForbiddenError, TooManyAttemptsError, UnauthenticatedError } from '../http/api.errors';
import { EngineMetrics } from '../ops/engine.metrics';
import type { AuthUser } from './auth.types';
import { LoginThrottle } from './login.throttle';
import { SessionStore, type SessionRow } from './session.store';

export interface LoginResult {
  token: string;
  expiresAt: number;
  user: { id: string; name?: string; role: UserRecord['role']; sites: string[] };
}

/** Accounts come from the registry; this service turns passwords into sessions and tokens into users. */
@Injectable()
export class AuthService implements OnApplicationShutdown {
  /** Session ids revoked (logout, password change): live sockets of those sessions are closed. */
  readonly revoked$ = new Subject<string>();
  private readonly sessions: SessionStore;
  private readonly throttle: LoginThrottle;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: EngineMetrics,
  ) {
    this.sessions = new SessionStore(config.platform.dataDir);
    this.throttle = new LoginThrottle(config.api.loginMaxFailures);
  }

  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const now = this.clock.now();
    const key = LoginThrottle.key(username, ip);
    this.refuseWhileThrottled(key, now, username, ip);
    const user = await this.registry.verifyUserPassword(username, password);
    if (!user) {
      this.throttle.fail(key, this.clock.now());
      this.metrics.loginFailed('bad_credentials');
      this.log.warn({ username, ip }, 'login failed');
      throw new UnauthenticatedError('wrong username or password');
    }
    this.throttle.succeed(key);
    this.sessions.prune(now);
    const { token, session } = this.sessions.create(user.id, now, this.config.api.tokenTtlS * 1000);
    this.log.info({ user: user.id, role: user.role, session: shortId(session.id) }, 'signed in');
    return { token, expiresAt: session.expiresAt, user: userView(user) };
  }

  /** The user behind a token, read fresh from the registry (a changed role or site applies at once). */
  authenticate(token: string): AuthUser | undefined {
    const session = this.sessions.find(token, this.clock.now());
    return session ? this.userOf(session) : undefined;
  }

  /** Re-checks a live connection's session: undefined once it expired or was revoked. */
  recheck(user: AuthUser, token: string): AuthUser | undefined {
    const now = this.clock.now();
    if (user.expiresAt <= now) return undefined;
    return this.authenticate(token);
  }

  logout(user: AuthUser, token: string): void {
    const session = this.sessions.find(token, this.clock.now());
    if (!session) return;
    this.sessions.revoke(session.id, this.clock.now());
    this.revoked$.next(shortId(session.id));
    this.log.info({ user: user.id, session: user.sessionId }, 'signed out');
  }

  /** Checks the current password (throttled like a login), sets the new one and ends the user's other sessions. */
  async changePassword(user: AuthUser, token: string, current: string, next: string, ip: string): Promise<void> {
    const key = LoginThrottle.key(user.id, ip);
    this.refuseWhileThrottled(key, this.clock.now(), user.id, ip);
    if (!(await this.registry.verifyUserPassword(user.id, current))) {
      this.throttle.fail(key, this.clock.now());
      this.metrics.loginFailed('bad_current_password');
      this.log.warn({ user: user.id, ip }, 'password change refused: wrong current password');
      // 403, not 401: the token is fine; keeping 401 for bad tokens lets clients tell "sign in again" apart.
      throw new ForbiddenError('the current password is wrong', 'current');
    }
    this.throttle.succeed(key);
    await this.registry.setUserPassword(user.id, next);
    const session = this.sessions.find(token, this.clock.now());
    if (session) for (const id of this.sessions.revokeOthers(user.id, session.id, this.clock.now())) this.revoked$.next(shortId(id));
    this.log.info({ user: user.id }, 'password changed; other sessions ended');
  }

  onApplicationShutdown(): void {
    this.revoked$.complete();
    this.sessions.close();
  }

  private refuseWhileThrottled(key: string, now: number, username: string, ip: string): void {
    const waitMs = this.throttle.retryAfterMs(key, now);
    if (waitMs > 0) {
      this.metrics.loginFailed('throttled');
      this.log.warn({ username, ip, retryAfterS: Math.ceil(waitMs / 1000) }, 'login throttled');
      throw new TooManyAttemptsError(Math.ceil(waitMs / 1000));
    }
  }

  private userOf(session: SessionRow): AuthUser | undefined {
    const user = this.registry.getUser(session.userId);
    if (!user) return undefined;
    return { ...userView(user), sessionId: shortId(session.id), expiresAt: session.expiresAt };
  }
}

function userView(u: UserRecord): LoginResult['user'] {
  return { id: u.id, ...(u.name ? { name: u.name } : {}), role: u.role, sites: [...u.sites] };
}

/** 12 hex characters of the token's hash: enough to tell sessions apart in logs, useless for signing in. */
function shortId(hash: string): string {
  return hash.slice(0, 12);
}
