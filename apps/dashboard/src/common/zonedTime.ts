/**
 * Wall-clock times entered on the screen are the site's local times (an absence "until Sunday 18:00"
 * in Shanghai), whatever zone the browser runs in. These convert with Intl's time-zone database.
 */
export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** How far the zone's wall clock is ahead of UTC at `epochMs` (Shanghai: +8 h). */
export function zoneOffsetMs(epochMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(epochMs);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The instant at which the zone's clock shows `wall` (in a DST gap: just after it). */
export function wallTimeToEpoch(wall: WallTime, zone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = guess - zoneOffsetMs(guess, zone);
  const second = guess - zoneOffsetMs(first, zone);
  return second;
}

/** The zone's wall clock at `epochMs`. */
export function epochToWallTime(epochMs: number, zone: string): WallTime {
  const d = new Date(epochMs + zoneOffsetMs(epochMs, zone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** Local midnight of the day `daysBack` days before the one holding `epochMs` (DST days have 23 or 25 h). */
export function localDayStart(epochMs: number, zone: string, daysBack = 0): number {
  const w = epochToWallTime(epochMs, zone);
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day - daysBack));
  return wallTimeToEpoch({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0 }, zone);
}
