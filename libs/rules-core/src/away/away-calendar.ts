import type { AwayPeriod } from '@hearthbeat/contracts';
import { InvalidAwayPeriodError } from '../errors';
import type { Kernel } from '../core/kernel';
import type { DeviceRuntime, SubjectRuntime } from '../core/runtime';
import type { AwayEntry } from '../state/subject-state';
import { formatDuration, formatLiters } from '../time/site-time';

const KEEP_ENDED = 5;

/**
 * Away periods (domain.md: absence is the main source of false alarms): from the registry and the API,
 * expiring by deadline. While away, and after the return until the first water use, no-activity is
 * suppressed; the first use afterwards is a "welcome back"; none within graceS raises
 * water.away_return_missing.
 */
export class AwayCalendar {
  constructor(private readonly k: Kernel) {}

  isAway(s: SubjectRuntime, t: number): boolean {
    for (const p of s.state.away) if (p.from <= t && t < p.to) return true;
    return false;
  }

  /** No-activity is not judged while away or until the first use after coming back. */
  suppressesNoActivity(s: SubjectRuntime, t: number): boolean {
    return s.state.awaitingReturn !== undefined || this.isAway(s, t);
  }

  /** Registry periods are the registry's: added, kept or removed to match it. */
  syncRegistry(s: SubjectRuntime, periods: readonly AwayPeriod[] | undefined, at: number): void {
    const want = new Map<string, AwayPeriod>();
    for (const p of periods ?? []) want.set(`reg:${p.from}-${p.to}`, p);
    const kept = s.state.away.filter((e) => e.source !== 'registry' || want.has(e.id) || e.ended);
    const have = new Set(kept.map((e) => e.id));
    for (const [id, p] of want) if (!have.has(id)) kept.push({ ...p, id, source: 'registry' });
    if (kept.length !== s.state.away.length || kept.some((e, i) => e !== s.state.away[i])) {
      s.state.away = kept.sort((a, b) => a.from - b.from);
      this.k.touch(s);
    }
    this.schedule(s, at);
  }

  add(s: SubjectRuntime, period: AwayPeriod, by: string, at: number): AwayEntry {
    if (!Number.isInteger(period.from) || !Number.isInteger(period.to) || period.to <= period.from) {
      throw new InvalidAwayPeriodError('an away period needs integer "from" < "to" (ms since epoch)');
    }
    if (period.to <= at) throw new InvalidAwayPeriodError('the away period is already over');
    if (period.note !== undefined && (typeof period.note !== 'string' || period.note.length > 500)) {
      throw new InvalidAwayPeriodError('note must be a string of at most 500 characters');
    }
    const id = `api:${period.from}-${period.to}`;
    const existing = s.state.away.find((e) => e.id === id);
    if (existing) return existing;
    const entry: AwayEntry = { from: period.from, to: period.to, id, source: 'api', by };
    if (period.note !== undefined) entry.note = period.note;
    s.state.away.push(entry);
    s.state.away.sort((a, b) => a.from - b.from);
    this.k.touch(s);
    this.k.emit({ type: 'away', at, subject: s.ref, site: s.site.id, change: 'added', away: { ...entry }, by });
    this.schedule(s, at);
    return entry;
  }

  /** Ends the period `awayId` (or the one running at `at`) now; a period not yet begun is removed. */
  end(s: SubjectRuntime, awayId: string | undefined, by: string, at: number): void {
    const p = s.state.away.find((e) => !e.ended && (awayId !== undefined ? e.id === awayId : e.from <= at && at < e.to));
    if (!p) throw new InvalidAwayPeriodError(awayId !== undefined ? `no open away period "${awayId}"` : 'no away period is running');
    if (p.from > at) {
      s.state.away = s.state.away.filter((e) => e !== p);
      this.k.touch(s);
      this.k.emit({ type: 'away', at, subject: s.ref, site: s.site.id, change: 'removed', away: { ...p }, by });
      this.schedule(s, at);
      return;
    }
    p.to = at;
    this.k.touch(s);
    this.onEnd(s, at, by);
  }

  /** Deadline: one or more periods reached their end. */
  onEnd(s: SubjectRuntime, at: number, by = 'system'): void {
    let last: AwayEntry | undefined;
    for (const p of s.state.away) {
      if (!p.ended && p.to <= at) {
        p.ended = true;
        if (!last || p.to > last.to) last = p;
        this.k.emit({ type: 'away', at, subject: s.ref, site: s.site.id, change: by === 'system' ? 'expired' : 'ended', away: { ...p }, by });
      }
    }
    if (last && !this.isAway(s, at)) {
      s.state.watchFrom = last.to;
      if (s.devices.some((d) => d.kind === 'water_meter')) {
        s.state.awaitingReturn = { since: last.to, awayId: last.id };
        this.k.setTimer(s, 'returnDue', last.to + s.params['water.away_return_missing'].graceS * 1000);
      }
    }
    this.prune(s);
    this.k.touch(s);
    this.schedule(s, at);
  }

  /** Deadline: the grace after an away period passed without water use. */
  onReturnDue(s: SubjectRuntime, at: number): void {
    const r = s.state.awaitingReturn;
    if (!r) return;
    const p = s.state.away.find((e) => e.id === r.awayId);
    const t = s.site.time;
    const what = p?.note ? `Away period ("${p.note}")` : 'Away period';
    this.k.book.raise(
      s,
      s.devices.find((d) => d.kind === 'water_meter'),
      'water.away_return_missing',
      at,
      `${what} ended ${t.when(r.since, at)}; no water used in the ${formatDuration(at - r.since)} since`,
      { awayEnd: r.since },
    );
  }

  /** A water use (reading time `ts`) was seen: the first one after an away period is a welcome back. */
  onWaterUse(s: SubjectRuntime, dev: DeviceRuntime, ts: number, liters: number, at: number): void {
    const r = s.state.awaitingReturn;
    if (!r || ts < r.since) return;
    delete s.state.awaitingReturn;
    this.k.clearTimer(s, 'returnDue');
    this.k.touch(s);
    const t = s.site.time;
    const message = `Welcome back: ${formatLiters(liters)} of water used at ${t.when(ts, at)}, ${formatDuration(ts - r.since)} after the away period ended`;
    this.k.emit({ type: 'welcome_back', at, subject: s.ref, site: s.site.id, deviceId: dev.id, usedAt: ts, liters, awayId: r.awayId, message });
    this.k.book.evidence(s, dev, 'water.away_return_missing', at, message, { usedAt: ts, liters });
  }

  schedule(s: SubjectRuntime, at: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const p of s.state.away) if (!p.ended && p.to < next) next = p.to;
    if (Number.isFinite(next)) this.k.setTimer(s, 'awayEnd', Math.max(next, at));
    else this.k.clearTimer(s, 'awayEnd');
  }

  private prune(s: SubjectRuntime): void {
    const ended = s.state.away.filter((e) => e.ended);
    if (ended.length <= KEEP_ENDED) return;
    const drop = new Set(ended.slice(0, ended.length - KEEP_ENDED));
    s.state.away = s.state.away.filter((e) => !drop.has(e));
  }
}
