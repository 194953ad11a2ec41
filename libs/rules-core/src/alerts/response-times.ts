import { CALL_ACTOR, OUTCOMES, SYSTEM_ACTOR, type Alert, type Outcome, type RuleId, type Severity, type SubjectRef } from '@hearthbeat/contracts';

/**
 * One episode of an alert, from its opening (or a re-opening) to its resolution, with the moments
 * response-time accounting measures. Derived from the timeline alone (append-only, frozen), so it is
 * the same for an alert read from memory, from the store or from an exported audit log.
 */
export interface ResponseEpisode {
  alertId: string;
  rule: RuleId;
  severity: Severity;
  site: string;
  subject: SubjectRef;
  /** The opening, or the re-opening that started this episode. */
  start: number;
  /** First acknowledgement by a person (assigning and reporting on site acknowledge an open alert). */
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  /** First person on site. */
  onSiteAt?: number;
  onSiteBy?: string;
  resolvedAt?: number;
  /** A user id, `call` (the resident confirmed on a check-in call) or `system` (auto-cleared). */
  resolvedBy?: string;
  outcome?: Outcome;
  /** The latest assignee within the episode. */
  assignee?: string;
  /** The first response: a person acknowledging, arriving or resolving, or the resident answering well. */
  firstResponseAt?: number;
  /** Whether a check-in call was placed in this episode. */
  called: boolean;
}

/** People are everyone but the rules (`system`) and the automated call (`call`). */
export function isPerson(by: string): boolean {
  return by !== SYSTEM_ACTOR && by !== CALL_ACTOR;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isOutcome = (v: unknown): v is Outcome => typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);

export function responseEpisodes(alert: Alert): ResponseEpisode[] {
  const out: ResponseEpisode[] = [];
  let e: ResponseEpisode | undefined;
  for (const entry of alert.timeline) {
    if (entry.action === 'opened' || entry.action === 'reopened') {
      e = { alertId: alert.id, rule: alert.rule, severity: alert.severity, site: alert.site, subject: { ...alert.subject }, start: entry.at, called: false };
      out.push(e);
      continue;
    }
    if (!e) continue;
    const person = isPerson(entry.by);
    switch (entry.action) {
      case 'acknowledged':
        if (person && e.acknowledgedAt === undefined) {
          e.acknowledgedAt = entry.at;
          e.acknowledgedBy = entry.by;
        }
        break;
      case 'assigned':
        e.assignee = str(entry.details?.['assignee']) ?? e.assignee;
        break;
      case 'on_site':
        if (e.onSiteAt === undefined) {
          e.onSiteAt = entry.at;
          e.onSiteBy = entry.by;
        }
        break;
      case 'call_placed':
        e.called = true;
        break;
      case 'resolved': {
        e.resolvedAt = entry.at;
        e.resolvedBy = entry.by;
        const outcome = entry.details?.['outcome'];
        if (isOutcome(outcome)) e.outcome = outcome;
        break;
      }
      default:
        break;
    }
  }
  for (const ep of out) {
    const answered = ep.resolvedBy !== undefined && ep.resolvedBy !== SYSTEM_ACTOR ? ep.resolvedAt : undefined;
    const firsts = [ep.acknowledgedAt, ep.onSiteAt, answered].filter((t): t is number => t !== undefined);
    if (firsts.length > 0) ep.firstResponseAt = Math.min(...firsts);
  }
  return out;
}

/**
 * When a trapped passenger counts as rescued: the rescuer reporting on site (the regulation's 30-minute
 * target is for a rescuer on site), or, when nobody reported arriving, the resolution with outcome
 * `rescued` (a rescuer was there by then: an upper bound). Undefined for other rules and for
 * entrapments closed otherwise (a false alarm: nobody was trapped).
 */
export function rescuedAt(e: ResponseEpisode): number | undefined {
  if (e.rule !== 'elevator.entrapment') return undefined;
  return e.onSiteAt ?? (e.outcome === 'rescued' ? e.resolvedAt : undefined);
}
