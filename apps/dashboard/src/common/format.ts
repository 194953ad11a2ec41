/**
 * Times are shown in the site's own time zone (domain.md complaint 7), whatever the screen's zone is:
 * a supervisor travelling, or a test machine on UTC, still sees Shanghai time for a Shanghai home.
 */
const DEFAULT_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: string, zone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, ...opts });
    cache.set(key, f);
  }
  return f;
}

/** `11-21 14:03` (today's date is still shown: staff read these lists across midnight). */
export function formatDateTime(ms: number, locale: string, zone = DEFAULT_ZONE): string {
  return fmt(locale, zone, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}

export function formatFullDateTime(ms: number, locale: string, zone = DEFAULT_ZONE): string {
  return fmt(locale, zone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(ms);
}

export function formatTime(ms: number, locale: string, zone = DEFAULT_ZONE): string {
  return fmt(locale, zone, { hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}

export function formatDate(ms: number, locale: string, zone = DEFAULT_ZONE): string {
  return fmt(locale, zone, { month: '2-digit', day: '2-digit' }).format(ms);
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 365],
];

/** `5 分钟前`, `in 3 min`: the age of an alert matters more than its clock time. */
export function formatRelative(ms: number, now: number, locale: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  let value = (ms - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return rtf.format(Math.round(value), 'year');
}

/** `1 h 5 min` style durations for waiting times and downtime (`2 h` when whole hours). */
export function formatDuration(ms: number, locale: string): string {
  const totalMin = Math.max(0, Math.round(ms / 60000));
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  const nf = new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'narrow' });
  const mf = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'narrow' });
  return h > 0 ? (m > 0 ? `${nf.format(h)} ${mf.format(m)}` : nf.format(h)) : mf.format(m);
}
