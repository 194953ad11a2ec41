/**
 * Local time in a site's time zone (domain.md: "use each site's time zone; Shanghai is UTC+8"). Routines
 * are written in local minutes after midnight; these helpers turn them into epoch milliseconds. Only
 * Intl is used, so any IANA zone works, including ones with daylight saving time.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

// Caching per UTC hour keeps the hot path (elevator traffic asks for the local hour of every call) away
// from Intl. The cost: for zones whose transitions fall off a whole UTC hour, up to an hour after a
// daylight-saving change uses the old offset, which no routine here can notice.
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 200_000;

/** The zone's offset from UTC (ms, positive east of Greenwich) at instant `t`. */
export function zoneOffsetMs(t: number, tz: string): number {
  const hourKey = `${tz}|${Math.floor(t / HOUR_MS)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const parts = formatter(tz).formatToParts(new Date(Math.floor(t / HOUR_MS) * HOUR_MS));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = asUtc - Math.floor(t / HOUR_MS) * HOUR_MS;
  if (offsetCache.size > OFFSET_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

/** Epoch ms of a local wall-clock time (minutes may exceed 1440: "25:30" is 01:30 the next day). */
export function zonedTime(date: LocalDate, minutes: number, tz: string): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + Math.round(minutes * MINUTE_MS);
  // Two passes settle the offset even next to a daylight-saving change.
  let t = naive - zoneOffsetMs(naive, tz);
  t = naive - zoneOffsetMs(t, tz);
  return t;
}

export function localMidnight(date: LocalDate, tz: string): number {
  return zonedTime(date, 0, tz);
}

/** The local date `days` after `date` (calendar arithmetic, independent of the zone). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/** Local hour of day with fraction, 0 <= h < 24. */
export function localHour(t: number, tz: string): number {
  const local = t + zoneOffsetMs(t, tz);
  return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** The local calendar date of instant `t`. */
export function localDateOf(t: number, tz: string): LocalDate {
  const d = new Date(t + zoneOffsetMs(t, tz));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function parseLocalDate(text: string): LocalDate | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = addDays(date, 0);
  return check.year === date.year && check.month === date.month && check.day === date.day ? date : null;
}

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/;
/**
 * Parses `2026-11-02T08:00` as local time in `tz`, or as an absolute instant when it carries `Z` or an
 * offset. Returns null when malformed.
 */
export function parseLocalDateTime(text: string, tz: string): number | null {
  const m = DATETIME_RE.exec(text);
  if (!m) return null;
  const date = parseLocalDate(m[1] as string);
  const hh = Number(m[2]);
  const mm = Number(m[3]);
  const ss = Number(m[4] ?? '0');
  if (!date || hh > 23 || mm > 59 || ss > 59) return null;
  const minutes = hh * 60 + mm + ss / 60;
  const zone = m[5];
  if (zone === undefined) return zonedTime(date, minutes, tz);
  const utc = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE_MS;
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * MINUTE_MS;
}

/** `2026-11-02 08:00` in `tz`, for progress lines and truth notes. */
export function formatLocalDateTime(t: number, tz: string): string {
  const d = new Date(t + zoneOffsetMs(t, tz));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** Parses `90`, `90s`, `15m`, `2h`, `3d` (seconds when no unit) into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? MINUTE_MS : unit === 'h' ? HOUR_MS : DAY_MS;
  return Math.round(n * factor);
}
