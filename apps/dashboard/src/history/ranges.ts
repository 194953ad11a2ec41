import { localDayStart } from '../common/zonedTime';
import type { WaterUnit } from './historyApi';

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

export type WaterRange = 'day' | 'week' | 'month';
export const WATER_RANGES: readonly WaterRange[] = ['day', 'week', 'month'];

/**
 * The water charts' ranges: the last 24 h by quarter hour (the rhythm of a day: rising, meals,
 * washing), starting on a quarter so that there are 96 buckets, the last one in progress; 7 and 30
 * local days by day, today included (the engine answers whole local buckets overlapping the range,
 * so a range starting mid-day would add a day).
 */
export function waterQuery(range: WaterRange, now: number, zone: string | undefined): { from: number; to: number; unit: WaterUnit } {
  if (range === 'day') return { from: Math.ceil((now - DAY) / QUARTER) * QUARTER, to: now, unit: 'quarter' };
  return { from: daysBack(now, zone, range === 'week' ? 7 : 30), to: now, unit: 'day' };
}

/** Local midnight `days - 1` days before today: `days` local days with today. */
export function daysBack(now: number, zone: string | undefined, days: number): number {
  return zone ? localDayStart(now, zone, days - 1) : now - days * DAY;
}
