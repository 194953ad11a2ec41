import type { Direction, DoorState, ElevatorEventName, ElevatorMode, PowerState } from '@hearthbeat/contracts';
import type { Rng } from '../core/prng.util';
import { DOOR_ZONE_M, travelAt, travelProfile, type CarSpec } from './elevator-physics.model';

/** What the monitoring terminal reports: protocol.md's elevator telemetry without ts and seq. */
export interface CarSnapshot {
  floor: number;
  doorZone: boolean;
  direction: Direction;
  door: DoorState;
  occupied: boolean;
  speedMps: number;
  mode: ElevatorMode;
  power: PowerState;
  /** The terminal's own backup battery, reported only while the lift has no mains power. */
  batteryPct?: number;
}

export type TimelineItem = { kind: 'state'; ts: number; snap: CarSnapshot } | { kind: 'event'; ts: number; event: ElevatorEventName; heldMs?: number };

/** How often the controller's position is sampled while moving: the protocol's 2 Hz ceiling. */
export const SAMPLE_MS = 500;

/** Door timings of one installation. */
export interface DoorTiming {
  openingMs: number;
  closingMs: number;
  /** Doors stay open ~4 s (plus boarding time when passengers move). */
  holdMs: number;
}

export class Car {
  posM: number;
  direction: Direction = 'stopped';
  speedMps = 0;
  door: DoorState = 'closed';
  occupied = false;
  mode: ElevatorMode = 'normal';
  power: PowerState = 'mains';
  batteryPct: number | undefined;

  constructor(
    readonly spec: CarSpec,
    level: number,
  ) {
    this.posM = level * spec.floorHeightM;
  }

  /** Index of the nearest landing. */
  get level(): number {
    return Math.max(0, Math.min(this.spec.labels.length - 1, Math.round(this.posM / this.spec.floorHeightM)));
  }

  get levels(): number {
    return this.spec.labels.length;
  }

  snapshot(): CarSnapshot {
    const level = this.level;
    const snap: CarSnapshot = {
      floor: this.spec.labels[level] as number,
      doorZone: Math.abs(this.posM - level * this.spec.floorHeightM) <= DOOR_ZONE_M,
      direction: this.direction,
      door: this.door,
      occupied: this.occupied,
      speedMps: Math.round(this.speedMps * 100) / 100,
      mode: this.mode,
      power: this.power,
    };
    if (this.batteryPct !== undefined) snap.batteryPct = Math.round(this.batteryPct);
    return snap;
  }

  state(ts: number): TimelineItem {
    return { kind: 'state', ts: Math.round(ts), snap: this.snapshot() };
  }
}

/** Moves the car to `toM` (metres above the lowest landing), sampling at 2 Hz. Returns the arrival time. */
export function* move(car: Car, toM: number, t0: number, vmax = car.spec.ratedSpeedMps): Generator<TimelineItem, number> {
  const from = car.posM;
  const dist = toM - from;
  if (Math.abs(dist) < 1e-6) return t0;
  const dir = dist > 0 ? 1 : -1;
  const profile = travelProfile(dist, vmax, car.spec.accelMps2);
  car.direction = dir > 0 ? 'up' : 'down';
  for (let ms = 0; ms < profile.totalMs; ms += SAMPLE_MS) {
    const at = travelAt(profile, ms);
    car.posM = from + dir * at.distanceM;
    car.speedMps = at.speedMps;
    yield car.state(t0 + ms);
  }
  car.posM = toM;
  car.speedMps = 0;
  car.direction = 'stopped';
  const end = t0 + profile.totalMs;
  yield car.state(end);
  return end;
}

/**
 * One door cycle: opening, open, closing, closed. `occupied` (when given) changes while the doors are open:
 * a passenger gets in or out. Returns the time the doors are closed again.
 */
export function* doorCycle(car: Car, t0: number, timing: DoorTiming, rng: Rng, occupied?: boolean): Generator<TimelineItem, number> {
  car.door = 'opening';
  yield car.state(t0);
  const open = t0 + timing.openingMs;
  car.door = 'open';
  yield car.state(open);
  let hold = timing.holdMs;
  if (occupied !== undefined) {
    car.occupied = occupied;
    yield car.state(open + Math.round(rng.range(1000, 2500)));
    hold += Math.round(rng.range(0, 3000));
  }
  const closing = open + hold;
  car.door = 'closing';
  yield car.state(closing);
  const closed = closing + timing.closingMs;
  car.door = 'closed';
  yield car.state(closed);
  return closed;
}

/** A passenger's trip: fetch the car, board, ride, alight. Returns when the doors have closed behind them. */
export function* serveTrip(car: Car, origin: number, dest: number, t: number, timing: DoorTiming, rng: Rng): Generator<TimelineItem, number> {
  const h = car.spec.floorHeightM;
  // Controller reaction and brake lift before moving off.
  if (Math.abs(car.posM - origin * h) > 1e-6) t = yield* move(car, origin * h, t + 800);
  else t += 300;
  t = yield* doorCycle(car, t, timing, rng, true);
  t = yield* move(car, dest * h, t + 700);
  return yield* doorCycle(car, t, timing, rng, false);
}

/** The landing farthest from `level`: long trips make overspeed and mid-shaft stops possible. */
export function farthestLevel(car: Car, level: number): number {
  return level >= car.levels / 2 ? 0 : car.levels - 1;
}
