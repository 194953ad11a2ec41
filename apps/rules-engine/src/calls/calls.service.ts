import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { checkInCallPolicySchema, type Alert, type CheckInCallPolicy } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import { DEFAULT_CALL_RULES, type NotRinging } from '@hearthbeat/rules-core';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import { alertSummary, type AlertSummary } from '../alerts/alert.view';
import type { Clock } from '../driver/clock';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, REGISTRY } from '../engine.tokens';
import { InvalidRequestError, NotFoundError, UnauthenticatedError } from '../http/api.errors';
import { parseInput } from '../http/zod.pipe';
import { verifySignature } from '../webhooks/webhook.signer';
import { CallDispatcher } from './call.dispatcher';
import { CallStore, type CallRequest } from './call.store';
import type { CheckCallView } from '../store/check-call-query';
import { callResultSchema, type CheckCallsQuery, type CheckInConfigInput } from './dto/call.dto';

/** A callback's timestamp must be this close to the platform's clock (replay protection, with the call's state). */
export const CALLBACK_WINDOW_MS = 5 * 60 * 1000;
const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

export interface CheckInConfigView {
  site: string;
  configured: boolean;
  policy?: CheckInCallPolicy & { effectiveRules: string[] };
  gatewayUrl?: string;
  callbackBaseUrl?: string;
  updatedAt?: number;
  updatedBy?: string;
  /** Requests not yet accepted by the gateway, and the latest ones. */
  pending: number;
  recent: Pick<CallRequest, 'callId' | 'alertId' | 'step' | 'status' | 'attempts' | 'createdAt' | 'sentAt' | 'lastError' | 'lastStatus'>[];
}

export interface CallResultAnswer {
  callId: string;
  /** applied: the rules acted on it; duplicate: already applied (a retry); late: recorded only, except a call for help (raised to critical). */
  status: 'applied' | 'duplicate' | 'late';
  /** The call's alert; for a check call (before any alert), the alert it raised, else null. */
  alert: AlertSummary | null;
}

export interface ResidentCheckCalls {
  resident: string;
  /** Whether a long daytime silence would ring the resident now; `because` says why not. */
  checkIn: { ringsFirst: boolean; because?: NotRinging };
  /** The latest calls, newest first. */
  calls: CheckCallView[];
}

/** Check-in call settings per site (admins), the gateway's signed result callbacks, and a resident's calls. */
@Injectable()
export class CallsService {
  constructor(
    private readonly runtime: EngineRuntime,
    private readonly store: CallStore,
    private readonly dispatcher: CallDispatcher,
    private readonly scope: ScopePolicy,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  view(site: string): CheckInConfigView {
    this.site(site);
    const g = this.store.gateway(site);
    const recent = this.store.recent(site, 20).map(({ callId, alertId, step, status, attempts, createdAt, sentAt, lastError, lastStatus }) => ({
      callId,
      // Empty for a check call placed before any alert.
      alertId,
      step,
      status,
      attempts,
      createdAt,
      ...(sentAt !== undefined ? { sentAt } : {}),
      ...(lastError !== undefined ? { lastError } : {}),
      ...(lastStatus !== undefined ? { lastStatus } : {}),
    }));
    const base = { site, configured: g !== undefined, pending: this.store.pendingCount(site), recent };
    if (!g) return base;
    return {
      ...base,
      policy: { ...g.policy, effectiveRules: [...(g.policy.rules ?? DEFAULT_CALL_RULES)] },
      gatewayUrl: g.url,
      ...(g.callbackBaseUrl ? { callbackBaseUrl: g.callbackBaseUrl } : {}),
      updatedAt: g.updatedAt,
      updatedBy: g.updatedBy,
    };
  }

  /** Replaces the site's settings and applies the policy to the running rules at once. */
  put(user: AuthUser, site: string, input: CheckInConfigInput): CheckInConfigView & { secret?: string } {
    this.site(site);
    const existing = this.store.gateway(site);
    const generated = input.secret === undefined && !existing ? randomBytes(32).toString('base64url') : undefined;
    const { gatewayUrl, secret, callbackBaseUrl, ...policy } = input;
    this.store.putGateway({
      site,
      policy: checkInCallPolicySchema.parse(policy),
      url: gatewayUrl,
      secret: secret ?? existing?.secret ?? generated ?? '',
      ...(callbackBaseUrl ? { callbackBaseUrl } : {}),
      updatedAt: this.clock.now(),
      updatedBy: user.id,
    });
    this.apply();
    return { ...this.view(site), ...(generated ? { secret: generated } : {}) };
  }

  remove(site: string): void {
    this.site(site);
    if (!this.store.deleteGateway(site)) throw new NotFoundError('check_in_call', site);
    this.apply();
  }

  /**
   * A gateway's result, authenticated by the HMAC of the raw body with the site's gateway secret (no
   * bearer token: the gateway is not a user). Replays are harmless twice over: the timestamp must be
   * within CALLBACK_WINDOW_MS, and the call's state makes a repeat of an applied result a no-op.
   */
  receive(callId: string, rawBody: Buffer | undefined, body: unknown, signature: string | undefined): CallResultAnswer {
    if (!signature || !SIGNATURE_FORMAT.test(signature)) throw new UnauthenticatedError('missing or malformed X-Hearthbeat-Signature (sha256=HEX of the raw body)');
    const request = this.store.request(callId);
    const gateway = request ? this.store.gateway(request.site) : undefined;
    // One answer for an unknown call and a bad signature: no oracle for which call ids exist.
    if (!request || !gateway) throw new UnauthenticatedError('unknown call, or a signature that does not verify');
    if (!rawBody) throw new InvalidRequestError('the body must be JSON (Content-Type: application/json)');
    if (!verifySignature(gateway.secret, rawBody, signature)) throw new UnauthenticatedError('unknown call, or a signature that does not verify');
    const input = parseInput(callResultSchema, body);
    if (input.callId !== callId) throw new InvalidRequestError(`body field "callId": "${input.callId}" is not the call in the URL`, 'callId');
    const now = this.clock.now();
    if (Math.abs(now - input.timestamp) > CALLBACK_WINDOW_MS) throw new UnauthenticatedError(`timestamp outside the replay window (±${CALLBACK_WINDOW_MS / 1000} s of the platform clock)`);
    const stored = this.runtime.driver.act((core, at) => core.callResult(callId, input.result, at, input.note));
    const events = stored.map((s) => s.event);
    const late = events.some((e) => (e.type === 'alert' && e.entry.details?.['late'] === true) || (e.type === 'check_call' && e.change === 'late'));
    const status = stored.length === 0 ? 'duplicate' : late ? 'late' : 'applied';
    if (request.alertId) return { callId, status, alert: alertSummary(this.alert(request.alertId)) };
    // A check call: the alert it raised when it went unanswered, if it did.
    const raised = events.find((e) => e.type === 'alert' && (e.change === 'opened' || e.change === 'reopened'));
    return { callId, status, alert: raised?.type === 'alert' ? alertSummary(this.alert(raised.alert.id)) : null };
  }

  /**
   * The resident's recent check-in calls (before any alert), from the stored `check_call` events; scoped
   * like the resident. `checkIn` tells an empty list "no call was needed" from "no call could be made".
   */
  residentCalls(user: AuthUser, id: string, q: CheckCallsQuery): ResidentCheckCalls {
    const r = this.registry.getResident(id);
    if (!r) throw new NotFoundError('resident', id);
    this.scope.assertSubject(user, 'resident', r.site);
    // The rules core's own view (site step, phone, parameters as it applies them).
    return { resident: id, checkIn: this.runtime.driver.rules.checkInOf(id), calls: this.runtime.engineStore.checkCalls.recent(id, q.limit) };
  }

  private alert(id: string): Alert {
    const a = this.runtime.driver.rules.getAlert(id) ?? this.runtime.engineStore.getAlert(id);
    if (!a) throw new NotFoundError('alert', id);
    return a;
  }

  private apply(): void {
    this.runtime.driver.updateRegistry(this.runtime.coreRegistry());
    this.dispatcher.wake();
  }

  private site(site: string): void {
    if (!this.registry.getSite(site)) throw new NotFoundError('site', site);
  }
}
