import { DAY_MS, addDays, localMidnight, parseLocalDate, parseLocalDateTime } from '../core/zoned-time.util';
import { UsageError } from '../scenarios/scenario-spec.parser';
import { DEFAULT_START_DATE, type SimOptions } from './sim-options';

/**
 * The simulated span. Offline: from `--start` (local midnight of the date by default) for `--days`.
 * Live: from `--start` or now, with random incidents planned over `--days`, else over the simulated length
 * of `--duration`, else 30 days.
 */
export function runWindow(opts: SimOptions, now: () => number): { start: number; end: number } {
  const tz = opts.site.timezone;
  const text = opts.start ?? (opts.mode === 'offline' ? DEFAULT_START_DATE : undefined);
  let start: number;
  let end: number | undefined;
  if (text === undefined) start = now();
  else {
    const date = parseLocalDate(text);
    const at = date ? localMidnight(date, tz) : parseLocalDateTime(text, tz);
    if (at === null) throw new UsageError(`--start "${text}": use YYYY-MM-DD or YYYY-MM-DDTHH:MM (local to the site)`);
    start = at;
    // Whole local days, so that a day-long run covers one calendar day even across a clock change.
    if (date && opts.days !== undefined) end = localMidnight(addDays(date, opts.days), tz);
  }
  const days = opts.days ?? (opts.durationMs !== undefined ? Math.max(1, Math.ceil((opts.durationMs * opts.speed) / DAY_MS)) : 30);
  return { start, end: end ?? start + days * DAY_MS };
}
