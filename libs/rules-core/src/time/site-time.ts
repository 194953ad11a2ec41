/**
 * Local time of a site, through Intl only (domain.md complaint 7: "schedules and time zones wrong").
 * Local-day boundaries are cached per zone, because the backtest asks for them on every water reading
 * and Intl formatting costs microseconds; formatting for reason texts is rare and uncached.
 */
const HOUR = 3_600_000;
const QUARTER = 900_000;

interface Parts {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

export class SiteTime {
  private readonly parts: Intl.DateTimeFormat;
  // Two cached local days: the current one and its neighbour, for interleaved late readings.
  // Behind them, every quarter hour seen maps to its day start (all zone offsets are multiples of
  // 15 min, so a quarter hour never straddles a local midnight): routine-day rollovers ask for other
  // days and would otherwise evict the current one for every meter of the site.
  private readonly quarters = new Map<number, number>();
  private aStart = Number.NaN;
  private aEnd = Number.NaN;
  private bStart = Number.NaN;
  private bEnd = Number.NaN;

  constructor(readonly timeZone: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Local wall-clock fields of an instant. */
  fields(ts: number): Parts {
    const p: Parts = { y: 0, m: 0, d: 0, h: 0, mi: 0, s: 0 };
    for (const part of this.parts.formatToParts(ts)) {
      const v = Number(part.value);
      switch (part.type) {
        case 'year':
          p.y = v;
          break;
        case 'month':
          p.m = v;
          break;
        case 'day':
          p.d = v;
          break;
        case 'hour':
          p.h = v === 24 ? 0 : v;
          break;
        case 'minute':
          p.mi = v;
          break;
        case 'second':
          p.s = v;
          break;
        default:
          break;
      }
    }
    return p;
  }

  /** Offset of local time from UTC at an instant, in ms (Shanghai: +8 h). */
  offsetMs(ts: number): number {
    const p = this.fields(ts);
    const wall = Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s);
    return wall - (ts - (((ts % 1000) + 1000) % 1000));
  }

  /** Start (inclusive) of the local day holding `ts`. */
  dayStart(ts: number): number {
    if (ts >= this.aStart && ts < this.aEnd) return this.aStart;
    if (ts >= this.bStart && ts < this.bEnd) return this.bStart;
    const q = Math.floor(ts / QUARTER);
    const known = this.quarters.get(q);
    if (known !== undefined) return known;
    const start = this.computeDayStart(ts);
    if (this.quarters.size > 100_000) this.quarters.clear();
    this.quarters.set(q, start);
    // A local day lasts 23 to 25 hours, so start + 26 h always lies in the next one.
    const end = this.computeDayStart(start + 26 * HOUR);
    this.bStart = this.aStart;
    this.bEnd = this.aEnd;
    this.aStart = start;
    this.aEnd = end;
    return start;
  }

  private computeDayStart(ts: number): number {
    const p = this.fields(ts);
    const midnightWall = Date.UTC(p.y, p.m - 1, p.d);
    let guess = midnightWall - this.offsetMs(ts);
    // The offset at midnight may differ from the offset at `ts` (a DST change in between).
    guess = midnightWall - this.offsetMs(guess);
    const g = this.fields(guess);
    if (g.d !== p.d) {
      // Midnight does not exist that day (DST jump at 00:00): the day starts at the first local instant.
      guess += HOUR;
    }
    return guess;
  }

  /** "06:41" */
  hm(ts: number): string {
    const p = this.fields(ts);
    return `${pad(p.h)}:${pad(p.mi)}`;
  }

  /** "06:41" when `ts` is on the same local day as `ref`, else "2025-11-20 06:41". */
  when(ts: number, ref: number): string {
    const p = this.fields(ts);
    const r = this.fields(ref);
    const hm = `${pad(p.h)}:${pad(p.mi)}`;
    return p.y === r.y && p.m === r.m && p.d === r.d ? hm : `${p.y}-${pad(p.m)}-${pad(p.d)} ${hm}`;
  }

  /** True when the local date holding `ts` is a Saturday or a Sunday (the routine's day types). */
  isWeekend(ts: number): boolean {
    const p = this.fields(ts);
    const dow = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
    return dow === 0 || dow === 6;
  }

  /** Start of the local day after the one holding `ts` (23 to 25 hours later around DST changes). */
  nextDayStart(ts: number): number {
    return this.dayStart(this.dayStart(ts) + 26 * HOUR);
  }

  /** "2025-11-21" */
  date(ts: number): string {
    const p = this.fields(ts);
    return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** One SiteTime per zone, shared by every site in it. */
const zones = new Map<string, SiteTime>();
export function siteTimeFor(timeZone: string): SiteTime {
  let t = zones.get(timeZone);
  if (!t) {
    t = new SiteTime(timeZone);
    zones.set(timeZone, t);
  }
  return t;
}

/** "12 h", "45 min", "20 s" */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s} s`;
}

/** "06:41" for minutes after local midnight (a clock reading; 1500 is "01:00" the next morning). */
export function formatClockMinutes(min: number): string {
  const m = ((Math.round(min) % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "8.2 L" (one decimal, no trailing .0) */
export function formatLiters(l: number): string {
  const r = Math.round(l * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)} L`;
}
