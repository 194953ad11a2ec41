/**
 * The car's kinematics: trapezoidal speed profiles (constant acceleration, cruise at rated speed,
 * constant deceleration), floors a fixed height apart, and the door zone around each landing.
 */

export interface CarSpec {
  minFloor: number;
  maxFloor: number;
  ratedSpeedMps: number;
  /** Typical residential drives accelerate at 0.6-1.0 m/s^2 for comfort. */
  accelMps2: number;
  floorHeightM: number;
  /** The landings' floor labels, lowest first (no floor 0 when there are basements, as in Chinese buildings). */
  labels: number[];
}

/** Landing levelling zone: the car counts as "in the door zone" within this distance of a landing. */
export const DOOR_ZONE_M = 0.2;

export function floorLabels(minFloor: number, maxFloor: number): number[] {
  const out: number[] = [];
  for (let f = minFloor; f <= maxFloor; f++) if (!(f === 0 && minFloor < 0 && maxFloor > 0)) out.push(f);
  return out;
}

export interface TravelProfile {
  distanceM: number;
  /** Peak speed reached (the cruise speed, or less on a short hop). */
  peakMps: number;
  accelMps2: number;
  /** Time accelerating (and, symmetrically, decelerating), seconds. */
  accelS: number;
  cruiseS: number;
  totalMs: number;
}

/** The profile of a trip of `distanceM` at up to `vmax`, accelerating at `accel`. */
export function travelProfile(distanceM: number, vmax: number, accel: number): TravelProfile {
  const d = Math.abs(distanceM);
  const reachS = vmax / accel;
  const reachM = vmax * reachS; // accelerating and decelerating together cover v^2/a
  if (d >= reachM) {
    const cruiseS = (d - reachM) / vmax;
    return { distanceM: d, peakMps: vmax, accelMps2: accel, accelS: reachS, cruiseS, totalMs: Math.round((2 * reachS + cruiseS) * 1000) };
  }
  const accelS = Math.sqrt(d / accel);
  return { distanceM: d, peakMps: accel * accelS, accelMps2: accel, accelS, cruiseS: 0, totalMs: Math.round(2 * accelS * 1000) };
}

/** Distance covered and speed at `ms` into the trip. */
export function travelAt(p: TravelProfile, ms: number): { distanceM: number; speedMps: number } {
  const t = Math.max(0, ms / 1000);
  const a = p.accelMps2;
  const accelEnd = p.accelS;
  const cruiseEnd = p.accelS + p.cruiseS;
  const total = p.totalMs / 1000;
  if (t >= total) return { distanceM: p.distanceM, speedMps: 0 };
  if (t < accelEnd) return { distanceM: 0.5 * a * t * t, speedMps: a * t };
  const accelM = 0.5 * a * accelEnd * accelEnd;
  if (t < cruiseEnd) return { distanceM: accelM + p.peakMps * (t - accelEnd), speedMps: p.peakMps };
  const left = total - t;
  return { distanceM: p.distanceM - 0.5 * a * left * left, speedMps: a * left };
}

/** Time into the trip at which the speed first exceeds `v`, and when it drops back: null if never. */
export function timeAbove(p: TravelProfile, v: number): [number, number] | null {
  if (p.peakMps <= v) return null;
  const s = v / p.accelMps2;
  return [Math.round(s * 1000), Math.round(p.totalMs - s * 1000)];
}
