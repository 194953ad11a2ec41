import type { AlertFileLine, RegistryFile, TruthLine } from '@hearthbeat/contracts';
import { siteTimeFor, type SiteTime } from '@hearthbeat/rules-core';
import { rulesFor } from './incident-rules';
import { quantile } from './stats';

export interface ScoreInput {
  truth: readonly TruthLine[];
  alerts: readonly AlertFileLine[];
  registry: RegistryFile;
  /** Scored window [from, to): incidents starting in it, alerts opened in it, local days inside it. */
  from: number;
  to: number;
  graceMs: number;
}

export interface MissedIncident {
  subject: string;
  kind: string;
  start: number;
  end: number;
  deviceId?: string;
}

export interface KindScore {
  kind: string;
  rules: readonly string[];
  incidents: number;
  detected: number;
  /** Share detected; null for kinds no rule should detect. */
  rate: number | null;
  ttaMedianMs: number | null;
  ttaP95Ms: number | null;
  /** Time-to-alert of each detected incident, ms, ascending. */
  ttaMs: number[];
  /** Which rule detected how many (first alert of a relevant rule). */
  byRule: Record<string, number>;
  /** Kinds that must stay quiet: alerts opened on the subject during the incident. */
  alertsDuring: number;
  missed: MissedIncident[];
}

export interface RuleFalseScore {
  rule: string;
  subjectType: 'resident' | 'elevator';
  /** Openings on incident-free local days not explained by any relevant incident. */
  falseAlerts: number;
  /** Per resident-month (or elevator-month) of incident-free days. */
  perSubjectMonth: number;
  /** Openings on days with an incident of the subject that no relevant incident explains (reported, not scored). */
  unexplainedOnIncidentDays: number;
}

export interface Score {
  from: number;
  to: number;
  graceMs: number;
  residents: number;
  elevators: number;
  /** Incident-free local days in the window, summed over subjects. */
  cleanResidentDays: number;
  cleanElevatorDays: number;
  openings: number;
  kinds: KindScore[];
  falseByRule: RuleFalseScore[];
  /** Openings on residents during announced absences (the registry's `away`), by rule. */
  duringAnnouncedAway: Record<string, number>;
}

interface Subject {
  id: string;
  type: 'resident' | 'elevator';
  time: SiteTime;
}

/**
 * Scores alerts against the simulator's ground truth (docs/evaluation.md "Definitions"):
 *  - detection: an incident is detected by the first alert opened on its subject by a rule relevant to
 *    its kind (INCIDENT_RULES) within [start, end + grace]; time-to-alert is that opening minus start;
 *  - false alerts: an opening is false when no incident of a kind the rule is relevant to covers its
 *    subject and time (with grace); only local days of the subject without any incident count (both
 *    the alerts and the days), and rates are per 30 such days;
 *  - alerts during announced absences, from the registry the platform was given.
 * An alert on a device counts for the device's owner. Re-openings count as openings.
 */
export function score(input: ScoreInput): Score {
  const { registry, from, to, graceMs } = input;
  const { byId, all } = subjectIndex(registry);
  const opening = input.alerts.filter((a) => a.state === 'open' && a.t >= from && a.t < to);
  const ownerOf = (a: AlertFileLine): Subject | undefined => byId.get(a.subject.id);
  const openingsBySubject = new Map<string, AlertFileLine[]>();
  for (const a of opening) {
    const s = ownerOf(a);
    if (!s) continue;
    let list = openingsBySubject.get(s.id);
    if (!list) openingsBySubject.set(s.id, (list = []));
    list.push(a);
  }
  const truthBySubject = new Map<string, TruthLine[]>();
  for (const tl of input.truth) {
    let list = truthBySubject.get(tl.subject);
    if (!list) truthBySubject.set(tl.subject, (list = []));
    list.push(tl);
  }

  // ---- detection per kind -----------------------------------------------------------------------
  const kinds = new Map<string, KindScore>();
  for (const inc of input.truth) {
    if (inc.start < from || inc.start >= to) continue;
    const rules = rulesFor(inc.kind);
    let k = kinds.get(inc.kind);
    if (!k) kinds.set(inc.kind, (k = { kind: inc.kind, rules, incidents: 0, detected: 0, rate: null, ttaMedianMs: null, ttaP95Ms: null, ttaMs: [], byRule: {}, alertsDuring: 0, missed: [] }));
    k.incidents++;
    const mine = openingsBySubject.get(inc.subject) ?? [];
    if (rules.length === 0) {
      k.alertsDuring += mine.filter((a) => a.t >= inc.start && a.t <= inc.end).length;
      continue;
    }
    const hit = mine.find((a) => a.t >= inc.start && a.t <= inc.end + graceMs && rules.includes(a.rule));
    if (hit) {
      k.detected++;
      k.ttaMs.push(hit.t - inc.start);
      k.byRule[hit.rule] = (k.byRule[hit.rule] ?? 0) + 1;
    } else {
      k.missed.push({ subject: inc.subject, kind: inc.kind, start: inc.start, end: inc.end, ...(inc.deviceId !== undefined ? { deviceId: inc.deviceId } : {}) });
    }
  }
  for (const k of kinds.values()) {
    k.ttaMs.sort((a, b) => a - b);
    if (k.rules.length > 0) k.rate = k.incidents > 0 ? k.detected / k.incidents : null;
    k.ttaMedianMs = quantile(k.ttaMs, 0.5);
    k.ttaP95Ms = quantile(k.ttaMs, 0.95);
  }

  // ---- false alerts on incident-free days -------------------------------------------------------
  const falseCounts = new Map<string, RuleFalseScore>();
  let cleanResidentDays = 0;
  let cleanElevatorDays = 0;
  const duringAway: Record<string, number> = {};
  const awayOf = new Map(registry.residents.map((r) => [r.id, r.away ?? []]));
  for (const s of all) {
    const incidents = truthBySubject.get(s.id) ?? [];
    const busy = new Set<number>();
    for (const inc of incidents) for (let d = s.time.dayStart(inc.start); d <= inc.end; d = s.time.nextDayStart(d)) busy.add(d);
    for (let d = s.time.dayStart(from); d < to; d = s.time.nextDayStart(d)) {
      if (d < from || busy.has(d)) continue;
      if (s.type === 'resident') cleanResidentDays++;
      else cleanElevatorDays++;
    }
    for (const a of openingsBySubject.get(s.id) ?? []) {
      if (s.type === 'resident' && (awayOf.get(s.id) ?? []).some((p) => a.t >= p.from && a.t < p.to)) duringAway[a.rule] = (duringAway[a.rule] ?? 0) + 1;
      const explained = incidents.some((inc) => a.t >= inc.start && a.t <= inc.end + graceMs && rulesFor(inc.kind).includes(a.rule));
      if (explained) continue;
      const key = `${s.type}|${a.rule}`;
      let f = falseCounts.get(key);
      if (!f) falseCounts.set(key, (f = { rule: a.rule, subjectType: s.type, falseAlerts: 0, perSubjectMonth: 0, unexplainedOnIncidentDays: 0 }));
      if (busy.has(s.time.dayStart(a.t))) f.unexplainedOnIncidentDays++;
      else f.falseAlerts++;
    }
  }
  for (const f of falseCounts.values()) {
    const days = f.subjectType === 'resident' ? cleanResidentDays : cleanElevatorDays;
    f.perSubjectMonth = days > 0 ? (f.falseAlerts * 30) / days : 0;
  }

  return {
    from,
    to,
    graceMs,
    residents: registry.residents.length,
    elevators: registry.elevators.length,
    cleanResidentDays,
    cleanElevatorDays,
    openings: opening.length,
    kinds: [...kinds.values()].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.kind.localeCompare(b.kind)),
    falseByRule: [...falseCounts.values()].sort((a, b) => b.perSubjectMonth - a.perSubjectMonth || a.rule.localeCompare(b.rule)),
    duringAnnouncedAway: duringAway,
  };
}

/** Residents and elevators by id, every device id pointing at its owner. */
function subjectIndex(reg: RegistryFile): { byId: Map<string, Subject>; all: Subject[] } {
  const zone = new Map(reg.sites.map((s) => [s.id, s.timezone]));
  const byId = new Map<string, Subject>();
  const all: Subject[] = [];
  const add = (id: string, type: 'resident' | 'elevator', site: string, devices: readonly string[]) => {
    const s: Subject = { id, type, time: siteTimeFor(zone.get(site) ?? 'UTC') };
    all.push(s);
    byId.set(id, s);
    for (const d of devices) if (!byId.has(d)) byId.set(d, s);
  };
  for (const r of reg.residents) add(r.id, 'resident', r.site, r.devices);
  for (const e of reg.elevators) add(e.id, 'elevator', e.site, [e.device]);
  return { byId, all };
}

const ORDER = ['fall', 'fall_in_shower', 'hospital', 'away_unannounced', 'late_rising', 'away'];
function kindOrder(kind: string): number {
  const i = ORDER.indexOf(kind);
  return i < 0 ? ORDER.length : i;
}
