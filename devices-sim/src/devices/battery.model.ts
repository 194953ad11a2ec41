import { DAY_MS } from '../core/zoned-time.util';

/** A low-battery episode: the charge sags, the device warns, goes flat, and the battery is replaced. */
export interface LowBatteryEpisode {
  /** The charge starts falling faster than normal wear. */
  declineFrom: number;
  /** The charge crosses LOW_BATTERY_PCT: the device sends `low_battery`. */
  eventAt: number;
  /** The device stops (flat), if before replacement. */
  flatAt: number;
  replacedAt: number;
}

/** Devices warn below 20 % (the contracts' default `device.low_battery.belowPct`). */
export const LOW_BATTERY_PCT = 19;
const FLAT_PCT = 3;

/**
 * Battery charge over time. Lithium cells in meters and detectors last about ten years, so normal wear
 * is a few hundredths of a percent a day; a low-battery episode overrides it.
 */
export class BatteryModel {
  constructor(
    private readonly origin: number,
    private readonly startPct: number,
    private readonly drainPctPerDay: number,
    private readonly episode?: LowBatteryEpisode,
  ) {}

  pctAt(t: number): number {
    const e = this.episode;
    let pct: number;
    if (!e || t < e.declineFrom) pct = this.normal(t, this.origin, this.startPct);
    else if (t < e.eventAt) {
      const from = this.normal(e.declineFrom, this.origin, this.startPct);
      pct = from + (LOW_BATTERY_PCT - from) * ((t - e.declineFrom) / (e.eventAt - e.declineFrom));
    } else if (t < e.replacedAt) {
      const span = Math.max(1, e.flatAt - e.eventAt);
      pct = LOW_BATTERY_PCT + (FLAT_PCT - LOW_BATTERY_PCT) * Math.min(1, (t - e.eventAt) / span);
    } else pct = this.normal(t, e.replacedAt, 100);
    return Math.max(0, Math.min(100, Math.floor(pct)));
  }

  private normal(t: number, from: number, pct: number): number {
    return pct - (this.drainPctPerDay * (t - from)) / DAY_MS;
  }
}
