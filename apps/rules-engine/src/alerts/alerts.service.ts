import { Inject, Injectable } from '@nestjs/common';
import type { Alert, AlertState, Outcome } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import { ScopePolicy } from '../auth/scope.policy';
import type { AuthUser } from '../auth/auth.types';
import { EngineRuntime } from '../engine.runtime';
import { REGISTRY } from '../engine.tokens';
import { InvalidRequestError, NotFoundError } from '../http/api.errors';
import { alertKey, decodeCursor, encodeCursor, type AlertKey } from '../store/alert-query';
import { alertSummary, type AlertSummary } from './alert.view';
import type { AlertListQuery } from './dto/alert.dto';

export interface AlertPage {
  items: AlertSummary[];
  nextCursor?: string;
}

/** Rows read per store query while filtering a page by what the user may see. */
const BATCH = 200;

/** Alert lists, details and staff actions, within what the user may see. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly runtime: EngineRuntime,
    private readonly scope: ScopePolicy,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
  ) {}

  /**
   * Most urgent first: unresolved before resolved, then severity, then age (oldest first). The store
   * filters by site; the finer rule (subject kind, escalations) is applied here, reading on until the
   * page is full.
   */
  list(user: AuthUser, q: AlertListQuery): AlertPage {
    let after: AlertKey | undefined;
    if (q.cursor !== undefined) {
      after = decodeCursor(q.cursor);
      if (!after) throw new InvalidRequestError('query field "cursor": not a cursor this API issued', 'cursor');
    }
    if (q.subjectType === 'resident') this.scope.assertKind(user, 'resident');
    if (q.subjectType === 'elevator') this.scope.assertKind(user, 'elevator');
    const sites = this.scope.siteFilter(user, q.site);
    const states: readonly AlertState[] | undefined = q.state === 'unresolved' ? ['open', 'acknowledged'] : q.state ? [q.state] : undefined;
    const items: AlertSummary[] = [];
    let last: Alert | undefined;
    for (;;) {
      const rows = this.runtime.engineStore.alertQuery.query({
        ...(states ? { states } : {}),
        ...(sites ? { sites } : {}),
        ...(q.rule !== undefined ? { rule: q.rule } : {}),
        ...(q.severity !== undefined ? { severity: q.severity } : {}),
        ...(q.subjectType !== undefined ? { subjectType: q.subjectType } : {}),
        ...(q.subjectId !== undefined ? { subjectId: q.subjectId } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(after ? { after } : {}),
        limit: BATCH,
      });
      for (const a of rows) {
        after = alertKey(a);
        if (!this.scope.seesAlert(user, a)) continue;
        items.push(alertSummary(a));
        last = a;
        if (items.length === q.limit) return { items, nextCursor: encodeCursor(alertKey(last)) };
      }
      if (rows.length < BATCH) return { items };
    }
  }

  /** Memory first (live alerts), then the store (resolved alerts the core no longer keeps). */
  get(user: AuthUser, id: string): Alert {
    const alert = this.runtime.driver.rules.getAlert(id) ?? this.runtime.engineStore.getAlert(id);
    if (!alert) throw new NotFoundError('alert', id);
    this.scope.assertAlert(user, alert);
    return alert;
  }

  acknowledge(user: AuthUser, id: string, note: string | undefined): Alert {
    return this.act(user, id, (core, now) => [...core.acknowledge(id, user.id, now), ...(note ? core.comment(id, note, user.id, now) : [])]);
  }

  assign(user: AuthUser, id: string, assignee: string): Alert {
    const alert = this.get(user, id);
    const target = this.registry.getUser(assignee);
    const asAuth = target ? { ...target, sessionId: '', expiresAt: 0 } : undefined;
    if (!asAuth || !this.scope.seesAlert(asAuth, alert)) {
      throw new InvalidRequestError(`body field "assignee": no user "${assignee}" who looks after this alert's ${this.scope.ownerKind(alert) ?? 'subject'}`, 'assignee');
    }
    return this.act(user, id, (core, now) => core.assign(id, assignee, user.id, now));
  }

  comment(user: AuthUser, id: string, text: string): Alert {
    return this.act(user, id, (core, now) => core.comment(id, text, user.id, now));
  }

  resolve(user: AuthUser, id: string, outcome: Outcome, note: string): Alert {
    return this.act(user, id, (core, now) => core.resolve(id, outcome, note, user.id, now));
  }

  onSite(user: AuthUser, id: string, note: string | undefined): Alert {
    return this.act(user, id, (core, now) => core.onSite(id, user.id, now, note));
  }

  markNormal(user: AuthUser, id: string, note: string): Alert {
    return this.act(user, id, (core, now) => core.markNormal(id, note, user.id, now));
  }

  /** Checks scope on the current alert, then runs the action as one persisted engine step. */
  private act(user: AuthUser, id: string, fn: Parameters<EngineRuntime['driver']['act']>[0]): Alert {
    this.get(user, id);
    this.runtime.driver.act(fn);
    return this.get(user, id);
  }
}
