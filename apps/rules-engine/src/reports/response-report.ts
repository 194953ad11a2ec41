import { CALL_ACTOR, ENTRAPMENT_RESCUE_TARGET_S, USER_ROLES, type Alert, type EscalationPolicy } from '@hearthbeat/contracts';
import { isPerson, rescuedAt, responseEpisodes, siteTimeFor, type ResponseEpisode } from '@hearthbeat/rules-core';
import { stat, type Stat } from './percentile';

/** Teams: the role of the person who handled an episode, `call` (the resident confirmed on a call), `none`. */
export const TEAMS = [...USER_ROLES, 'call', 'none', 'unknown'] as const;
export type Team = (typeof TEAMS)[number];

export interface ReportSite {
  timezone: string;
  escalation: EscalationPolicy;
}

export interface ReportInput {
  alerts: readonly Alert[];
  sites: ReadonlyMap<string, ReportSite>;
  /** A user's role now (the registry); undefined for a user no longer in it. */
  roleOf(userId: string): string | undefined;
  /** YYYY-MM in each site's own time zone; default: the current month there. */
  month?: string;
  team?: string;
  now: number;
}

export interface ReportGroup {
  site: string;
  timezone: string;
  month: string;
  team: string;
  /** Episodes (openings and re-openings) that started in the month. */
  alerts: number;
  /** From the start to the first acknowledgement by a person. */
  acknowledge: Stat;
  /** From the start to the first person on site. */
  onSite: Stat;
  /** From the start to the resolution by a person or by the resident on a call (auto-cleared ones left out). */
  resolve: Stat;
  /** Entrapments: from the start to the rescue (rescuedAt), against the 30-minute target. */
  rescue: Stat & { targetS: number; overTarget: number };
  overTarget: {
    /** First response later than the site's first escalation tier for the severity (or none yet, past it). */
    acknowledge: number;
    rescue: number;
    /** Episodes over either target. */
    alerts: number;
  };
}

/** Who handled an episode: its assignee, else who acknowledged, arrived or resolved it. */
export function teamOf(e: ResponseEpisode, roleOf: (id: string) => string | undefined): string {
  const handler = e.assignee ?? e.acknowledgedBy ?? e.onSiteBy ?? (e.resolvedBy !== undefined && isPerson(e.resolvedBy) ? e.resolvedBy : undefined);
  if (handler !== undefined) return roleOf(handler) ?? 'unknown';
  return e.resolvedBy === CALL_ACTOR ? 'call' : 'none';
}

interface Measured {
  e: ResponseEpisode;
  ackBreach: boolean;
  rescueMs?: number;
  rescueBreach: boolean;
}

function measure(e: ResponseEpisode, site: ReportSite, now: number): Measured {
  const targetS = site.escalation[e.severity].tiers[0]?.afterS;
  const responded = e.firstResponseAt ?? e.resolvedAt ?? now;
  const ackBreach = targetS !== undefined && responded - e.start > targetS * 1000;
  const rescued = rescuedAt(e);
  const targetMs = ENTRAPMENT_RESCUE_TARGET_S * 1000;
  const waiting = e.rule === 'elevator.entrapment' && rescued === undefined && e.resolvedAt === undefined && now - e.start > targetMs;
  const rescueMs = rescued === undefined ? undefined : rescued - e.start;
  return { e, ackBreach, rescueBreach: waiting || (rescueMs !== undefined && rescueMs > targetMs), ...(rescueMs !== undefined ? { rescueMs } : {}) };
}

function group(site: string, timezone: string, month: string, team: string, items: readonly Measured[]): ReportGroup {
  const values = (f: (m: Measured) => number | undefined) => items.map(f).filter((v): v is number => v !== undefined);
  const rescue = stat(values((m) => m.rescueMs));
  return {
    site,
    timezone,
    month,
    team,
    alerts: items.length,
    acknowledge: stat(values((m) => (m.e.acknowledgedAt === undefined ? undefined : m.e.acknowledgedAt - m.e.start))),
    onSite: stat(values((m) => (m.e.onSiteAt === undefined ? undefined : m.e.onSiteAt - m.e.start))),
    resolve: stat(values((m) => (m.e.resolvedAt === undefined || m.e.resolvedBy === 'system' ? undefined : m.e.resolvedAt - m.e.start))),
    rescue: { ...rescue, targetS: ENTRAPMENT_RESCUE_TARGET_S, overTarget: items.filter((m) => m.rescueBreach).length },
    overTarget: {
      acknowledge: items.filter((m) => m.ackBreach).length,
      rescue: items.filter((m) => m.rescueBreach).length,
      alerts: items.filter((m) => m.ackBreach || m.rescueBreach).length,
    },
  };
}

/**
 * Response times per site and team for one month of each site's local calendar (an episode belongs to
 * the month in which it started, in the site's time zone), plus a total per site (team "all").
 */
export function responseReport(input: ReportInput): { groups: ReportGroup[]; sites: ReportGroup[] } {
  const buckets = new Map<string, { site: string; month: string; team: string; items: Measured[] }>();
  const totals = new Map<string, { month: string; items: Measured[] }>();
  for (const alert of input.alerts) {
    const site = input.sites.get(alert.site);
    if (!site) continue;
    const time = siteTimeFor(site.timezone);
    const month = input.month ?? time.date(input.now).slice(0, 7);
    for (const e of responseEpisodes(alert)) {
      if (time.date(e.start).slice(0, 7) !== month) continue;
      const team = teamOf(e, input.roleOf);
      if (input.team !== undefined && team !== input.team) continue;
      const m = measure(e, site, input.now);
      const key = `${alert.site}\u0000${team}`;
      const b = buckets.get(key) ?? { site: alert.site, month, team, items: [] };
      b.items.push(m);
      buckets.set(key, b);
      const t = totals.get(alert.site) ?? { month, items: [] };
      t.items.push(m);
      totals.set(alert.site, t);
    }
  }
  const tz = (s: string) => input.sites.get(s)?.timezone ?? 'UTC';
  const groups = [...buckets.values()].sort((a, b) => a.site.localeCompare(b.site) || a.team.localeCompare(b.team)).map((b) => group(b.site, tz(b.site), b.month, b.team, b.items));
  const sites = [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, t]) => group(s, tz(s), t.month, 'all', t.items));
  return { groups, sites };
}
