import type { Rng } from '../core/prng.util';
import { HOUR_MS, localHour } from '../core/zoned-time.util';

/** A passenger's call: arrives at `at` on level `origin` (index into the car's labels) for level `dest`. */
export interface Call {
  at: number;
  origin: number;
  dest: number;
}

/**
 * Share of the peak call rate by local hour in a residential block: quiet nights, a morning rush down to
 * the street, a lunchtime bump, an evening rush up from the street.
 */
const HOURLY_SHARE = [
  0.03, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.95, 1.0, 0.5, 0.4, 0.45, 0.55, 0.45, 0.35, 0.4, 0.55, 0.85, 0.95, 0.7, 0.5, 0.35, 0.15, 0.06,
];

export interface TrafficConfig {
  levels: number;
  /** Index of the street level (floor 1) and, when there is one, of the lowest basement (car park). */
  lobby: number;
  basement: number | null;
  /** Calls an hour at the busiest time. */
  peakPerHour: number;
  tz: string;
}

/** Calls as a non-homogeneous Poisson process (Lewis-Shedler thinning against the peak rate). */
export class ElevatorTraffic {
  private nextCall: Call;
  private t: number;
  /** Residential levels: neither the street level nor the car park. */
  private readonly homes: number[];

  constructor(
    private readonly cfg: TrafficConfig,
    private readonly rng: Rng,
    start: number,
  ) {
    this.t = start;
    const all = Array.from({ length: cfg.levels }, (_, i) => i);
    const homes = all.filter((l) => l !== cfg.lobby && l !== cfg.basement);
    this.homes = homes.length ? homes : all.filter((l) => l !== cfg.lobby).concat(all.length === 1 ? [0] : []);
    this.nextCall = this.draw();
  }

  peek(): Call {
    return this.nextCall;
  }

  pop(): Call {
    const c = this.nextCall;
    this.nextCall = this.draw();
    return c;
  }

  /** Drops the calls that arrived before `t` (their passengers took the stairs while the car was out). */
  dropBefore(t: number): void {
    while (this.nextCall.at < t) this.pop();
  }

  private draw(): Call {
    const meanGap = HOUR_MS / this.cfg.peakPerHour;
    for (;;) {
      this.t += Math.max(1000, Math.round(this.rng.exponential(meanGap)));
      const hour = Math.floor(localHour(this.t, this.cfg.tz));
      if (this.rng.next() < (HOURLY_SHARE[hour] ?? 0.1)) return { at: this.t, ...this.route(hour) };
    }
  }

  private route(hour: number): { origin: number; dest: number } {
    const { levels, lobby, basement } = this.cfg;
    const street = () => (basement !== null && this.rng.chance(0.2) ? basement : lobby);
    const upper = () => this.rng.pick(this.homes);
    if (levels < 2) return { origin: 0, dest: 0 };
    const morning = hour >= 6 && hour < 10;
    const evening = hour >= 16 && hour < 21;
    const down = morning ? 0.7 : evening ? 0.25 : 0.45;
    const up = morning ? 0.15 : evening ? 0.65 : 0.45;
    const x = this.rng.next();
    let origin: number;
    let dest: number;
    if (x < down) [origin, dest] = [upper(), street()];
    else if (x < down + up) [origin, dest] = [street(), upper()];
    else [origin, dest] = [upper(), upper()];
    if (origin === dest) dest = origin === lobby ? (lobby + 1) % levels : lobby;
    return { origin, dest };
  }
}
