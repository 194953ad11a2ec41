import { Inject, Injectable } from '@nestjs/common';
import type { Alert, UserRole } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import { escalationTargets } from '../alerts/alert.view';
import { escalatedTo, type RecordedEvent } from '../store/recorded-event';
import { REGISTRY } from '../engine.tokens';
import { ForbiddenError } from '../http/api.errors';
import type { AuthUser } from './auth.types';

export type SubjectKind = 'resident' | 'elevator';

/**
 * protocol.md: staff and supervisors see the residents of their sites, maintainers the elevators of
 * their sites, admin everything. `service` accounts (integrations) read both kinds within their sites.
 */
const KINDS: Record<UserRole, readonly SubjectKind[]> = {
  staff: ['resident'],
  supervisor: ['resident'],
  maintainer: ['elevator'],
  admin: ['resident', 'elevator'],
  service: ['resident', 'elevator'],
};

/**
 * Who may see what. A device alert (subject type `device`) belongs to the site and the kind of the
 * subject owning the device. An alert escalated to a role is also visible to that role's users of the
 * site (an elevator alert escalated to `supervisor` reaches the site's supervisors), so that the
 * people an escalation targets can open and acknowledge it.
 */
@Injectable()
export class ScopePolicy {
  constructor(@Inject(REGISTRY) private readonly registry: Pick<RegistryStore, 'getDevice'>) {}

  kindsOf(role: UserRole): readonly SubjectKind[] {
    return KINDS[role];
  }

  seesSite(user: AuthUser, site: string): boolean {
    return user.role === 'admin' || user.sites.includes(site);
  }

  seesSubject(user: AuthUser, kind: SubjectKind, site: string): boolean {
    return this.seesSite(user, site) && KINDS[user.role].includes(kind);
  }

  /** The kind of subject an alert belongs to (for device alerts: the kind of the device's owner). */
  ownerKind(alert: Pick<Alert, 'subject'>): SubjectKind | undefined {
    if (alert.subject.type !== 'device') return alert.subject.type;
    return this.registry.getDevice(alert.subject.id)?.subject?.type;
  }

  seesAlert(user: AuthUser, alert: Alert): boolean {
    return this.seesAlertOf(user, alert, escalationTargets(alert.timeline));
  }

  /** An alert of a kind the user does not look after is theirs too once escalated to their role. */
  private seesAlertOf(user: AuthUser, alert: Pick<Alert, 'site' | 'subject'>, escalatedToRoles: readonly string[]): boolean {
    if (!this.seesSite(user, alert.site)) return false;
    const kind = this.ownerKind(alert);
    if (kind !== undefined && KINDS[user.role].includes(kind)) return true;
    return escalatedToRoles.includes(user.role);
  }

  /** Whether a core event, live or stored, may be pushed to this user (live socket, replay). */
  seesEvent(user: AuthUser, event: RecordedEvent): boolean {
    switch (event.type) {
      case 'alert':
        return this.seesAlertOf(user, event.alert, escalatedTo(event));
      case 'device':
        return event.owner.type !== 'device' && this.seesSubject(user, event.owner.type, event.site);
      default:
        return event.subject.type !== 'device' && this.seesSubject(user, event.subject.type, event.site);
    }
  }

  /** The sites a user's lists are limited to (undefined: all), narrowed to `site` when asked (403 if foreign). */
  siteFilter(user: AuthUser, site?: string): string[] | undefined {
    if (site !== undefined) {
      this.assertSite(user, site);
      return [site];
    }
    return user.role === 'admin' ? undefined : [...user.sites];
  }

  assertSite(user: AuthUser, site: string): void {
    if (!this.seesSite(user, site)) throw new ForbiddenError(`site "${site}" is not one of yours`);
  }

  assertSubject(user: AuthUser, kind: SubjectKind, site: string): void {
    this.assertSite(user, site);
    if (!KINDS[user.role].includes(kind)) throw new ForbiddenError(`role "${user.role}" does not look after ${kind}s`);
  }

  assertKind(user: AuthUser, kind: SubjectKind): void {
    if (!KINDS[user.role].includes(kind)) throw new ForbiddenError(`role "${user.role}" does not look after ${kind}s`);
  }

  assertAlert(user: AuthUser, alert: Alert): void {
    if (!this.seesAlert(user, alert)) throw new ForbiddenError(`alert "${alert.id}" is outside your sites or role`);
  }
}
