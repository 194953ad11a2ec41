import type { Rng } from '../core/prng.util';
import { HOUR_MS, MINUTE_MS } from '../core/zoned-time.util';
import { truthLine, type TruthSink } from '../devices/device-action.types';
import { TRUTH_KIND_OF, type Scenario } from '../scenarios/scenario.types';
import { Car, doorCycle, farthestLevel, move, type DoorTiming, type TimelineItem } from './elevator-car.model';
import { timeAbove, travelProfile } from './elevator-physics.model';

export interface IncidentContext {
  elevatorId: string;
  rng: Rng;
  timing: DoorTiming;
  sink: TruthSink;
}

/**
 * Plays one elevator incident from `t` (the car is idle there: incidents wait for the current trip to
 * end) and records its truth with the times it really happened. Returns when the car is back in service.
 */
export function* runIncident(car: Car, s: Scenario, t: number, ctx: IncidentContext): Generator<TimelineItem, number> {
  const length = s.end - s.start;
  const record = (start: number, end: number, note?: string) => ctx.sink.record(truthLine(s.subject, TRUTH_KIND_OF[s.kind], start, end, undefined, note));
  switch (s.kind) {
    case 'entrapment':
    case 'entrapment_outside':
      return yield* entrapment(car, t, length, s.kind === 'entrapment_outside', ctx, record);
    case 'door_fault': {
      yield { kind: 'event', ts: t, event: 'door_lock_fault' };
      car.mode = 'out_of_service';
      car.door = 'opening';
      yield car.state(t);
      car.door = 'open';
      yield car.state(t + ctx.timing.openingMs);
      const end = Math.max(t + length, t + ctx.timing.openingMs + 1000);
      car.door = 'closing';
      yield car.state(end);
      car.door = 'closed';
      car.mode = 'normal';
      yield car.state(end + ctx.timing.closingMs);
      record(t, end, 'door lock fault: doors stuck open, car out of service');
      return end + ctx.timing.closingMs;
    }
    case 'door_cycling': {
      // A dirty light curtain: the doors reopen every time they start to close.
      const end = t + length;
      let at = t;
      while (at < end) {
        car.door = 'opening';
        yield car.state(at);
        car.door = 'open';
        yield car.state(at + 2000);
        car.door = 'closing';
        const closing = at + 2000 + Math.round(ctx.rng.range(800, 1800));
        yield car.state(closing);
        at = closing + Math.round(ctx.rng.range(1200, 2000));
      }
      car.door = 'closed';
      yield car.state(at);
      record(t, at, 'doors reopen as they close, about 12 cycles a minute');
      return at;
    }
    case 'overspeed': {
      const origin = car.level;
      const dest = farthestLevel(car, origin);
      t = yield* doorCycle(car, t + 300, ctx.timing, ctx.rng, true);
      const factor = ctx.rng.range(1.25, 1.45);
      const vmax = car.spec.ratedSpeedMps * factor;
      const depart = t + 700;
      const profile = travelProfile((dest - origin) * car.spec.floorHeightM, vmax, car.spec.accelMps2);
      const above = timeAbove(profile, car.spec.ratedSpeedMps);
      t = yield* move(car, dest * car.spec.floorHeightM, depart, vmax);
      if (above) record(depart + above[0], depart + above[1], `drive fault: up to ${factor.toFixed(2)} x rated speed`);
      return yield* doorCycle(car, t, ctx.timing, ctx.rng, false);
    }
    case 'power_cut': {
      yield { kind: 'event', ts: t, event: 'power_lost' };
      car.power = 'battery';
      car.mode = 'emergency_power';
      car.batteryPct = 100;
      yield car.state(t);
      // The automatic rescue device opens the doors at the landing so that nobody is shut in.
      let at = yield* doorCycle(car, t + 1500, ctx.timing, ctx.rng, car.occupied ? false : undefined);
      car.power = 'off';
      car.mode = 'out_of_service';
      yield car.state(at);
      const end = Math.max(t + length, at + 1000);
      // The terminal runs on its own battery; report the charge every five minutes.
      for (at += 5 * MINUTE_MS; at < end; at += 5 * MINUTE_MS) {
        car.batteryPct = Math.max(5, 100 - (8 * (at - t)) / HOUR_MS);
        yield car.state(at);
      }
      yield { kind: 'event', ts: end, event: 'power_restored' };
      car.power = 'mains';
      car.mode = 'normal';
      car.batteryPct = undefined;
      yield car.state(end);
      record(t, end, 'mains lost: rescue device levels and opens, then the lift is off');
      return end;
    }
    case 'alarm_misuse': {
      // Children or a confused resident: short presses while nobody is shut in.
      const presses = ctx.rng.int(1, 4);
      let at = t;
      let first = t;
      for (let i = 0; i < presses; i++) {
        const held = Math.round(ctx.rng.range(150, 2500));
        at += Math.round(ctx.rng.range(3_000, Math.max(3_001, length / presses)));
        if (i === 0) first = at - held;
        yield { kind: 'event', ts: at, event: 'alarm_button', heldMs: held };
      }
      record(first, at, `${presses} short press(es) of the alarm button, car empty`);
      return at;
    }
    default:
      throw new RangeError(`scenario ${s.kind} is not played by the elevator model`);
  }
}

/**
 * A passenger boards and rides towards a far landing; the car stops with the doors shut: at a landing
 * whose doors fail to open, or between floors after a safety-circuit break. The passenger holds the
 * alarm button now and then until a maintainer opens the doors (after moving the car to a landing in
 * inspection mode when it stopped between floors). The car then stays out of service for a check.
 */
function* entrapment(
  car: Car,
  t: number,
  length: number,
  outside: boolean,
  ctx: IncidentContext,
  record: (start: number, end: number, note?: string) => void,
): Generator<TimelineItem, number> {
  const { rng, timing } = ctx;
  const h = car.spec.floorHeightM;
  const origin = car.level;
  const dest = farthestLevel(car, origin);
  t = yield* doorCycle(car, t + 300, timing, rng, true);
  let target = dest * h;
  if (outside) {
    const dir = dest > origin ? 1 : -1;
    const mid = origin + dir * Math.max(0, Math.floor(Math.abs(dest - origin) / 2));
    target = (mid + dir * 0.5) * h;
  }
  const start = yield* move(car, target, t + 700);
  if (outside) yield { kind: 'event', ts: start, event: 'safety_circuit' };
  const end = start + length;
  let press = start + Math.round(rng.range(10_000, 40_000));
  while (press < end - 20_000) {
    const held = Math.round(rng.range(3_000, 9_000));
    yield { kind: 'event', ts: press, event: 'alarm_button', heldMs: held };
    press += held + Math.round(rng.range(90_000, 300_000));
  }
  record(start, end, outside ? 'outside door zone: stopped between floors after a safety circuit break' : 'in door zone: doors fail to open at the landing');
  car.mode = outside ? 'inspection' : 'out_of_service';
  yield car.state(end);
  let at = end;
  if (outside) at = yield* move(car, car.level * h, end + 5_000, 0.3);
  car.mode = 'out_of_service';
  at = yield* doorCycle(car, at + 2_000, timing, rng, false);
  const back = at + Math.round(rng.range(10, 30) * MINUTE_MS);
  car.mode = 'normal';
  yield car.state(back);
  return back;
}
