import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatLiters } from '../../time/site-time';

/**
 * water.high_use: use within one LOCAL day of the site above litersPerDay (default 500 L; cities use
 * 1-2 m3/day). Usage is attributed to the local day of the reading time, with the site's IANA zone
 * (complaint 7). Fires once per local day; a later day starts afresh.
 */
const RULE = 'water.high_use';
const KEEP_DAYS = 3;

export function addDailyUsage(k: Kernel, dev: DeviceRuntime, ts: number, liters: number, at: number): void {
  const w = dev.state.water;
  if (!w || liters === 0) return;
  const time = dev.site.time;
  const day = time.dayStart(ts);
  const d = w.days;
  let i = d.length - 2;
  while (i >= 0 && d[i] !== day) i -= 2;
  if (i < 0) {
    if (d.length > 0 && day < (d[0] as number)) return; // a day already dropped: too late to count
    d.push(day, 0);
    // Keep the buckets sorted by day (late readings may open an older day than the newest).
    for (let j = d.length - 2; j >= 2 && (d[j - 2] as number) > (d[j] as number); j -= 2) {
      const td = d[j - 2] as number;
      const tl = d[j - 1] as number;
      d[j - 2] = d[j] as number;
      d[j - 1] = d[j + 1] as number;
      d[j] = td;
      d[j + 1] = tl;
    }
    while (d.length > KEEP_DAYS * 2) d.splice(0, 2);
    i = d.length - 2;
    while (i >= 0 && d[i] !== day) i -= 2;
    if (i < 0) return;
  }
  const total = Math.round(((d[i + 1] as number) + liters) * 1000) / 1000;
  d[i + 1] = total;
  const p = dev.params[RULE];
  if (liters > 0 && total > p.litersPerDay && (w.highUseDay === undefined || day > w.highUseDay)) {
    w.highUseDay = day;
    k.book.raise(dev.owner, dev, RULE, at, `${formatLiters(total)} used on ${time.date(ts)} (local day, ${time.timeZone}); the limit is ${formatLiters(p.litersPerDay)} a day`, {
      day: time.date(ts),
      liters: total,
    });
  }
}
