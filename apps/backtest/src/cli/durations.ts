import { UsageError } from './usage-error';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "10m", "2h", "90s", "1.5h", "0" -> milliseconds; "never" (or "off") -> null, i.e. the modelled staff
 * never take that step. A bare number is seconds.
 */
export function parseDuration(option: string, text: string): number | null {
  const v = text.trim().toLowerCase();
  if (v === 'never' || v === 'off') return null;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?$/.exec(v);
  if (!m) throw new UsageError(`${option}: "${text}" is not a duration (e.g. 10m, 2h, 90s, never)`);
  const ms = Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] as number));
  if (!Number.isFinite(ms) || ms > 30 * 86_400_000) throw new UsageError(`${option}: "${text}" is out of range (0 to 30 days)`);
  return ms;
}

/** "2026-11-16" (local midnight in `timeZone`), "2026-11-16T08:00" (local), an ISO instant with Z/offset, or ms. */
export function parseInstant(option: string, text: string, timeZone: string): number {
  const v = text.trim();
  if (/^\d{12,}$/.test(v)) return Number(v);
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(v);
  if (local) {
    const wall = Date.UTC(Number(local[1]), Number(local[2]) - 1, Number(local[3]), Number(local[4] ?? 0), Number(local[5] ?? 0));
    return wall - offsetAt(wall, timeZone);
  }
  const abs = Date.parse(v);
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) && Number.isFinite(abs)) return abs;
  throw new UsageError(`${option}: "${text}" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM in the site's zone, an ISO instant, or ms)`);
}

/** Offset of `timeZone` from UTC (ms) around a wall-clock instant read as UTC. */
function offsetAt(wallAsUtc: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const get = (ts: number) => {
    const p: Record<string, number> = {};
    for (const part of f.formatToParts(ts)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return Date.UTC(p['year'] ?? 0, (p['month'] ?? 1) - 1, p['day'] ?? 1, (p['hour'] ?? 0) % 24, p['minute'] ?? 0, p['second'] ?? 0) - ts;
  };
  // Twice: the offset at the guessed instant may differ from the one at the wall time (DST).
  const first = get(wallAsUtc);
  return get(wallAsUtc - first);
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
