import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration, formatLiters } from '../../time/site-time';
import { offlineAfterMs } from '../device/device-offline.rule';
import { usageAt, usageBetween } from './water-readings';

/**
 * water.no_activity: less than minLiters used in the trailing windowS (10 L in 24 h by default, "other
 * cities use 24 h"; the Shanghai Jiangsu Road / Shenzhen Longgang rule is "< 0.01 m3 in 12 h", which
 * also applies while a resident's routine is still being learned: see noActivityWindowS). It is the
 * safety net behind the learned routine (water.routine_deviation).
 *
 * Deadline model: with no further use the trailing sum only falls, so the instant the condition starts
 * (`episodeStart`) is known in advance: the end of the latest interval whose suffix still holds
 * minLiters, plus the window. A timer is set for that instant (not before the meter's next report is
 * due, so that a reading covering it can arrive first), and it fires with no further message
 * (complaint 1). A reading that shows the condition held in reading time fires at once (backfill).
 * Never while the meter is offline (complaint 2), away, or awaiting the first use after an away period;
 * one alert per episode (`noActivityLatch`), the episode ending when the window holds minLiters again.
 */
const RULE = 'water.no_activity';
const MAX_SLACK_MS = 15 * 60_000;

/**
 * When the meter's next report is due, with slack (a quarter interval, at most 15 min): a deadline on
 * readings waits until then, so that a reading covering it can arrive first (daily-batch meters).
 */
export function nextReportDue(dev: DeviceRuntime): number {
  const w = dev.state.water;
  const latest = w && w.ts.length > 0 ? (w.ts[w.ts.length - 1] as number) : dev.state.listenSince;
  const interval = dev.reportIntervalMs;
  return Math.max(latest, dev.state.listenSince) + interval + Math.min(interval / 4, MAX_SLACK_MS);
}

/**
 * The window in force: windowS, or while the resident's routine is still being learned the shorter
 * water.routine_deviation.coldStartWindowS (docs/rules.md: a new resident is watched at least as
 * closely as by the fixed 12 h rule until the learned routine takes over).
 */
export function noActivityWindowS(k: Kernel, dev: DeviceRuntime): number {
  const p = dev.params[RULE];
  const r = dev.params['water.routine_deviation'];
  if (!r.enabled || r.coldStartWindowS === null || r.coldStartWindowS >= p.windowS) return p.windowS;
  return k.routine.isWarm(dev.owner) ? p.windowS : r.coldStartWindowS;
}

/** When the condition starts (or started), given the readings so far; undefined without readings. */
export function episodeStart(k: Kernel, dev: DeviceRuntime): number | undefined {
  const w = dev.state.water;
  if (!w || w.ts.length === 0 || w.since === undefined) return undefined;
  const p = dev.params[RULE];
  const windowMs = noActivityWindowS(k, dev) * 1000;
  let bound = w.since;
  const watchFrom = dev.owner.state.watchFrom;
  if (watchFrom !== undefined && watchFrom > bound) bound = watchFrom;
  let sum = 0;
  for (let i = w.ts.length - 1; i >= 1; i--) {
    sum += usageAt(w, i);
    if (sum >= p.minLiters) return Math.max(bound, (w.ts[i] as number)) + windowMs;
  }
  // The retained readings never hold minLiters: the condition started a window after the oldest.
  return Math.max(bound, w.ts[0] as number) + windowMs;
}

/** Re-evaluates after new readings (viaTimer false) or when the deadline fires (viaTimer true). */
export function checkNoActivity(k: Kernel, dev: DeviceRuntime, now: number): void {
  const w = dev.state.water;
  const p = dev.params[RULE];
  if (!w || !p.enabled || p.minLiters <= 0 || !dev.state.online) {
    k.clearTimer(dev, 'noActivity');
    return;
  }
  const start = episodeStart(k, dev);
  if (start === undefined) {
    k.clearTimer(dev, 'noActivity');
    return;
  }
  const latest = w.ts[w.ts.length - 1] as number;
  if (w.noActivityLatch !== undefined) {
    if (start > latest) {
      // The window holds minLiters again: the episode is over.
      delete w.noActivityLatch;
      k.touch(dev);
      const windowMs = noActivityWindowS(k, dev) * 1000;
      k.book.evidence(dev.owner, dev, RULE, now, `water use resumed: ${formatLiters(usageBetween(w, latest - windowMs, latest))} in the last ${formatDuration(windowMs)}`);
    } else {
      k.clearTimer(dev, 'noActivity');
      return;
    }
  }
  const horizonDue = nextReportDue(dev);
  const covered = start <= latest || horizonDue <= now;
  if (start <= now && covered) {
    fire(k, dev, now, start);
    return;
  }
  k.setTimer(dev, 'noActivity', Math.max(start, horizonDue));
}

function fire(k: Kernel, dev: DeviceRuntime, now: number, start: number): void {
  k.clearTimer(dev, 'noActivity');
  const owner = dev.owner;
  const s = dev.state;
  if (k.away.suppressesNoActivity(owner, now)) return;
  if (s.lastSeenAt !== undefined && now - Math.max(s.lastSeenAt, s.listenSince) >= offlineAfterMs(dev)) return;
  // A resident with several meters is quiet only when every online meter is.
  for (const other of owner.devices) {
    if (other === dev || other.kind !== 'water_meter' || !other.state.online) continue;
    const os = episodeStart(k, other);
    if (os !== undefined && os > now) return;
  }
  const w = s.water;
  if (!w) return;
  const p = dev.params[RULE];
  const windowS = noActivityWindowS(k, dev);
  const windowMs = windowS * 1000;
  const t = dev.site.time;
  const used = usageBetween(w, now - windowMs, now);
  const last =
    w.lastUseTs !== undefined
      ? `last use ${t.when(w.lastUseTs, now)} (${formatLiters(w.lastUseL ?? 0)})`
      : `no use recorded since readings began ${t.when(w.since ?? now, now)}`;
  w.noActivityLatch = start;
  k.touch(dev);
  k.book.raise(owner, dev, RULE, now, `${formatLiters(used)} used in the last ${formatDuration(windowMs)} (less than ${formatLiters(p.minLiters)}); ${last}`, {
    liters: used,
    windowS,
    since: start - windowMs,
    ...(w.lastUseTs !== undefined ? { lastUseTs: w.lastUseTs } : {}),
  });
}
