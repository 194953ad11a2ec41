import { Injectable } from '@nestjs/common';
import type { AwayPeriod } from '@hearthbeat/contracts';
import type { AwayEntry, AwayEvent } from '@hearthbeat/rules-core';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import { EngineRuntime } from '../engine.runtime';
import { NotFoundError } from '../http/api.errors';
import { SubjectsService } from '../subjects/subjects.service';

/**
 * Announced absences (domain.md: the main source of false "no activity" alarms). Kept by the rules
 * core with the resident's state, so they survive restarts and expire by deadline; registry-file
 * absences and API ones live side by side (`source`).
 */
@Injectable()
export class AwayService {
  constructor(
    private readonly runtime: EngineRuntime,
    private readonly scope: ScopePolicy,
    private readonly subjects: SubjectsService,
  ) {}

  list(user: AuthUser, residentId: string): AwayEntry[] {
    this.check(user, residentId);
    return this.runtime.driver.rules.awayOf(residentId);
  }

  add(user: AuthUser, residentId: string, period: AwayPeriod): AwayEntry {
    this.check(user, residentId);
    const events = this.runtime.driver.act((core, now) => core.addAway(residentId, period, user.id, now));
    const added = events.map((s) => s.event).find((e): e is AwayEvent => e.type === 'away' && e.change === 'added');
    // Adding the same period twice changes nothing and returns the existing entry.
    return added?.away ?? this.runtime.driver.rules.awayOf(residentId).find((a) => a.from === period.from && a.to === period.to) ?? this.missing(residentId, '');
  }

  /** Ends a running period now, or removes one that has not begun. */
  end(user: AuthUser, residentId: string, awayId: string): AwayEntry & { change: AwayEvent['change'] } {
    this.check(user, residentId);
    const entry = this.runtime.driver.rules.awayOf(residentId).find((a) => a.id === awayId && !a.ended);
    if (!entry) this.missing(residentId, awayId);
    const events = this.runtime.driver.act((core, now) => core.endAway(residentId, awayId, user.id, now));
    const ev = events.map((s) => s.event).find((e): e is AwayEvent => e.type === 'away' && e.away.id === awayId);
    return ev ? { ...ev.away, change: ev.change } : { ...entry, change: 'ended' };
  }

  private check(user: AuthUser, residentId: string): void {
    this.scope.assertSubject(user, 'resident', this.subjects.locate('resident', residentId).site);
  }

  private missing(residentId: string, awayId: string): never {
    throw new NotFoundError('away period', `${residentId}/${awayId}`);
  }
}
