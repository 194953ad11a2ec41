import { Rng } from '../core/prng.util';
import { HOUR_MS, MINUTE_MS } from '../core/zoned-time.util';
import type { DeviceAction, TruthSink } from '../devices/device-action.types';
import type { Scenario } from '../scenarios/scenario.types';
import type { CarSnapshot, TimelineItem } from './elevator-car.model';
import type { CarSpec } from './elevator-physics.model';
import { elevatorTimeline } from './elevator-timeline.model';

/** protocol.md: state at least every 30 s while idle, at most 2 Hz while moving. */
export const IDLE_HEARTBEAT_MS = 30_000;
export const MIN_STATE_GAP_MS = 500;
/** EN 81-28: the alarm line is tested at least every 72 hours. */
export const TEST_CALL_MAX_GAP_MS = 72 * HOUR_MS;

export interface ElevatorDeviceConfig {
  /** The terminal's device id and the elevator it watches. */
  id: string;
  elevatorId: string;
  seed: string;
  start: number;
  spec: CarSpec;
  tz: string;
  /** Incidents played by the car, sorted by start. */
  incidents: Scenario[];
  /** Windows in which the terminal's automatic test call fails to happen. */
  testCallsStopped: [number, number][];
  sink: TruthSink;
}

/**
 * The monitoring terminal: turns the car's timeline into messages. A state is sent when it differs from
 * the last one sent, never sooner than 500 ms after it (a change that comes sooner is sent at the 500 ms
 * mark with the state as it is then), and repeated every 30 s when nothing changes. Events pass as they come.
 */
export function* elevatorActions(cfg: ElevatorDeviceConfig): Generator<DeviceAction, void> {
  const rng = Rng.derive(cfg.seed, cfg.id, 'terminal');
  yield { type: 'online', at: cfg.start + Math.round(rng.range(0, 1_000)) };
  const timeline = elevatorTimeline({ elevatorId: cfg.elevatorId, seed: cfg.seed, start: cfg.start, spec: cfg.spec, tz: cfg.tz, incidents: cfg.incidents, sink: cfg.sink });
  const items = mergeByTs(timeline, testCalls(rng.fork('test-calls'), cfg.start, cfg.testCallsStopped));

  let seq = 0;
  let last: CarSnapshot | undefined;
  let lastTs = Number.NEGATIVE_INFINITY;
  let current: CarSnapshot | undefined;
  let deferredAt: number | undefined;
  let peeked = items.next();
  const telemetry = (ts: number, snap: CarSnapshot): DeviceAction => {
    last = snap;
    lastTs = ts;
    return { type: 'publish', at: ts, channel: 'telemetry', payload: { ts, seq: seq++, ...snap } };
  };
  const event = (item: Extract<TimelineItem, { kind: 'event' }>): DeviceAction => ({
    type: 'publish',
    at: item.ts,
    channel: 'event',
    payload: item.heldMs === undefined ? { ts: item.ts, seq: seq++, event: item.event } : { ts: item.ts, seq: seq++, event: item.event, heldMs: item.heldMs },
  });

  for (;;) {
    const item = peeked.done ? undefined : peeked.value;
    if (deferredAt !== undefined) {
      // Catch up with everything that happens before the deferred send, then send the state as it is.
      if (item && item.ts <= deferredAt) {
        peeked = items.next();
        if (item.kind === 'event') yield event(item);
        else current = item.snap;
        continue;
      }
      const at = deferredAt;
      deferredAt = undefined;
      if (current && !sameSnapshot(current, last)) yield telemetry(at, current);
      continue;
    }
    if (last && (!item || item.ts > lastTs + IDLE_HEARTBEAT_MS)) {
      yield telemetry(lastTs + IDLE_HEARTBEAT_MS, last);
      continue;
    }
    if (!item) return;
    peeked = items.next();
    if (item.kind === 'event') {
      yield event(item);
      continue;
    }
    current = item.snap;
    if (sameSnapshot(current, last)) continue;
    if (item.ts >= lastTs + MIN_STATE_GAP_MS) yield telemetry(item.ts, current);
    else deferredAt = lastTs + MIN_STATE_GAP_MS;
  }
}

/**
 * Automatic test calls: the first within a day of start, then every 72 h less a margin (firmware
 * schedules them a little early so that the interval never exceeds the standard's 72 h). Inside a
 * stopped window none happen; a technician places one when the fault is fixed.
 */
export function* testCalls(rng: Rng, start: number, stopped: [number, number][]): Generator<TimelineItem, void> {
  const period = TEST_CALL_MAX_GAP_MS - Math.round(rng.range(10, 90) * MINUTE_MS);
  let at = start + Math.round(rng.range(1, 24) * HOUR_MS);
  for (;;) {
    const stop = stopped.find(([a, b]) => at >= a && at < b);
    if (stop) {
      at = stop[1] + Math.round(rng.range(5, 30) * MINUTE_MS);
      continue;
    }
    yield { kind: 'event', ts: at, event: 'test_call' };
    at += period;
  }
}

function* mergeByTs(a: Iterator<TimelineItem, void>, b: Iterator<TimelineItem, void>): Generator<TimelineItem, void> {
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (!x.done && (y.done || x.value.ts <= y.value.ts)) {
      yield x.value;
      x = a.next();
    } else if (!y.done) {
      yield y.value;
      y = b.next();
    }
  }
}

function sameSnapshot(a: CarSnapshot, b: CarSnapshot | undefined): boolean {
  return (
    b !== undefined &&
    a.floor === b.floor &&
    a.doorZone === b.doorZone &&
    a.direction === b.direction &&
    a.door === b.door &&
    a.occupied === b.occupied &&
    a.speedMps === b.speedMps &&
    a.mode === b.mode &&
    a.power === b.power &&
    a.batteryPct === b.batteryPct
  );
}
