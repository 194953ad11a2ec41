import { TelemetryQueryError } from '../telemetry.errors';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const mod = (a: number, b: number) => ((a % b) + b) % b;

/**
 * Local time arithmetic in one IANA zone, with Intl (the tz database Node ships) as the only source:
 * no offsets are hard-coded, so DST zones and zones with half-hour offsets are handled like
 * Asia/Shanghai. Offsets are cached per UTC hour when they do not change inside it, since a
 * year of hourly buckets asks for tens of thousands of them.
 */
export class ZoneClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly hourOffsets = new Map<number, number | null>();
  private readonly dayStarts = new Map<number, number>();

  constructor(readonly timeZone: string) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new TelemetryQueryError(`unknown time zone "${timeZone}"; expected an IANA zone such as Asia/Shanghai`);
    }
  }

  /** Local time minus UTC at `ts`, in ms (Asia/Shanghai: +8 h). */
  offsetMs(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    let cached = this.hourOffsets.get(hour);
    if (cached === undefined) {
      const a = this.exactOffset(hour * HOUR_MS);
      const b = this.exactOffset(hour * HOUR_MS + HOUR_MS - 1);
      cached = a === b ? a : null;
      if (this.hourOffsets.size > 200_000) this.hourOffsets.clear();
      this.hourOffsets.set(hour, cached);
    }
    return cached ?? this.exactOffset(ts);
  }

  /** The wall-clock fields at `ts`. */
  parts(ts: number): { year: number; month: number; day: number; hour: number; minute: number } {
    const local = new Date(ts + this.offsetMs(ts));
    return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
  }

  /** Start of the local hour holding `ts`; the two 01:00 hours of a DST fall-back are two hours. */
  hourStart(ts: number): number {
    return ts - mod(ts + this.offsetMs(ts), HOUR_MS);
  }

  /** First instant of the local date holding `ts` (local midnight, or the end of a DST gap at midnight). */
  dayStart(ts: number): number {
    const key = this.dateKey(ts);
    const known = this.dayStarts.get(key);
    if (known !== undefined) return known;
    // The local date never goes backwards as time passes, so the day's first instant is found by
    // bisection; this stays right when midnight itself falls in a DST gap (e.g. America/Santiago).
    let lo = ts - 30 * HOUR_MS;
    let hi = ts;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.dateKey(mid) < key) lo = mid;
      else hi = mid;
    }
    this.dayStarts.set(key, hi);
    return hi;
  }

  /** `YYYY-MM-DD` of the local date. */
  dayLabel(ts: number): string {
    const p = this.parts(ts);
    return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  }

  /** `YYYY-MM-DDTHH:mm+hh:mm`: local wall time with its offset, unambiguous across a fall-back. */
  localLabel(ts: number): string {
    const p = this.parts(ts);
    const off = this.offsetMs(ts) / MINUTE_MS;
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  private dateKey(ts: number): number {
    const p = this.parts(ts);
    return p.year * 10_000 + p.month * 100 + p.day;
  }

  private exactOffset(ts: number): number {
    const f: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(ts))) if (part.type !== 'literal') f[part.type] = Number(part.value);
    const asUtc = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
    return asUtc - (ts - mod(ts, 1000));
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

const clocks = new Map<string, ZoneClock>();
/** One shared clock per zone, so that its caches serve every query. */
export function zoneClock(timeZone: string): ZoneClock {
  let c = clocks.get(timeZone);
  if (!c) {
    c = new ZoneClock(timeZone);
    clocks.set(timeZone, c);
  }
  return c;
}
