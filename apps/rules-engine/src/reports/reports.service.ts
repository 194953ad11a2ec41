import { Inject, Injectable } from '@nestjs/common';
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { ENTRAPMENT_RESCUE_TARGET_S, resolveEscalationPolicy, type Alert } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import type { Clock } from '../driver/clock';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, REGISTRY } from '../engine.tokens';
import { NotFoundError } from '../http/api.errors';
import type { ResponseTimesQuery } from './dto/report.dto';
import { responseReport, type ReportGroup, type ReportSite } from './response-report';

const HOUR = 3600_000;
/** Time zones reach 14 h either side of UTC: a local month lies within its UTC month widened by that. */
const ZONE_SLACK = 14 * HOUR;
const docRow = z.object({ doc: z.string() });

export interface ResponseTimesReport {
  month: string | null;
  team: string | null;
  generatedAt: number;
  method: { percentiles: string; team: string; month: string };
  targets: { rescueS: number; acknowledge: string };
  groups: ReportGroup[];
  sites: ReportGroup[];
}

/** Response-time accounting over the stored alerts the user may see (docs/field-workflow.md). */
@Injectable()
export class ReportsService {
  private query?: Statement;

  constructor(
    private readonly runtime: EngineRuntime,
    private readonly scope: ScopePolicy,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  responseTimes(user: AuthUser, q: ResponseTimesQuery): ResponseTimesReport {
    if (q.site !== undefined && !this.registry.getSite(q.site)) throw new NotFoundError('site', q.site);
    const allowed = this.scope.siteFilter(user, q.site);
    const now = this.clock.now();
    const sites = new Map<string, ReportSite>();
    for (const s of this.registry.listSites()) if (!allowed || allowed.includes(s.id)) sites.set(s.id, { timezone: s.timezone, escalation: resolveEscalationPolicy(s.escalation) });
    const alerts = this.candidates(q.month, now).filter((a) => sites.has(a.site) && this.scope.seesAlert(user, a));
    const report = responseReport({
      alerts,
      sites,
      roleOf: (id) => this.registry.getUser(id)?.role,
      ...(q.month !== undefined ? { month: q.month } : {}),
      ...(q.team !== undefined ? { team: q.team } : {}),
      now,
    });
    return {
      month: q.month ?? null,
      team: q.team ?? null,
      generatedAt: now,
      method: {
        percentiles: 'linear interpolation between closest ranks (type 7, as numpy and Excel PERCENTILE.INC); median = p50',
        team: 'role of the assignee, else of who acknowledged, arrived or resolved; "call" when the resident confirmed on a check-in call; "none" when nobody did',
        month: 'the month, in the site\'s time zone, in which the episode (opening or re-opening) started',
      },
      targets: { rescueS: ENTRAPMENT_RESCUE_TARGET_S, acknowledge: 'the site\'s first escalation tier for the alert\'s severity' },
      ...report,
    };
  }

  /** Alerts that may hold an episode starting in the month (or the last 32 days): the store's rows, not memory. */
  private candidates(month: string | undefined, now: number): Alert[] {
    let from = now - 32 * 24 * HOUR - ZONE_SLACK;
    let to = now + ZONE_SLACK;
    if (month !== undefined) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      from = Date.UTC(y, m - 1, 1) - ZONE_SLACK;
      to = Date.UTC(y, m, 1) + ZONE_SLACK;
    }
    this.query ??= this.runtime.engineStore.connection.prepare('SELECT doc FROM alerts WHERE opened_at < ? AND (resolved_at IS NULL OR resolved_at >= ?) ORDER BY opened_at, id');
    return this.query.all(to, from).map((raw) => JSON.parse(docRow.parse(raw).doc) as Alert);
  }
}
