import { ELEVATOR_FLOORS, type BenchDevice } from './bench-fleet';

/** Water meters report a batch of three 5-minute readings every 15 minutes of reading time. */
export const WATER_STEP_MS = 15 * 60_000;
const READING_GAP_MS = 5 * 60_000;
/** Once an hour (every 12th 5-minute reading) the register rises by this much. */
const LITERS_PER_USE = 12.5;

/** A device's message stream; `index` counts its messages and continues across runs. */
export interface PayloadSource {
  readonly topic: Buffer;
  index: number;
  next(): string;
}

function hash(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Realistic protocol v1 telemetry that a healthy fleet sends, chosen so that the rules raise nothing
 * (the load measures evaluation, not alert storms): the spec feeds it to a RulesCore and checks.
 *
 * Water: readings in reading time from `waterEpoch` on, 15 minutes apart per message, which is how a
 * meter uploads its interval log; reading time never passes the platform clock for the ~19,000 messages
 * a device can send before it would. One 12.5 L use an hour: 150 L in 12 h (no water.no_activity),
 * 300 L a day (under water.high_use's 500), never an hour without a break (no water.continuous_flow).
 */
export function waterSource(dev: BenchDevice, waterEpoch: number, startIndex: number): PayloadSource {
  const start = 1000 + (hash(dev.id) % 90_000);
  const battery = 60 + (hash(dev.id) % 40);
  const register = (reading: number) => start + LITERS_PER_USE * Math.floor((reading + 1) / 12);
  return {
    topic: Buffer.from(`hb/v1/${dev.id}/telemetry`),
    index: startIndex,
    next() {
      const n = this.index++;
      const ts = waterEpoch + n * WATER_STEP_MS;
      const r = n * 3;
      return (
        `{"ts":${ts},"seq":${n},"readings":[` +
        `{"ts":${ts - 2 * READING_GAP_MS},"totalL":${register(r)},"flowLpm":0},` +
        `{"ts":${ts - READING_GAP_MS},"totalL":${register(r + 1)},"flowLpm":0},` +
        `{"ts":${ts},"totalL":${register(r + 2)},"flowLpm":0}],` +
        `"batteryPct":${battery},"rssi":${-70 - (n % 25)},"valve":"open"}`
      );
    },
  };
}

const SPAN = 16; // floors 0..16 of the bench cars (-1..18)

/** Floor of the car at the start of trip t: up and down by two floors at a time. */
function tripFloor(t: number): number {
  const x = (2 * t) % (2 * SPAN);
  return x <= SPAN ? x : 2 * SPAN - x;
}

/**
 * Elevators: service runs of an empty car, two floors per trip in six state changes (stopped, leaving
 * the zone, passing a floor, between floors, arriving, stopped). The door stays closed and nobody is
 * inside, so no timed rule (entrapment, door held open, door cycling, outside door zone) starts; speed
 * stays under elevator.overspeed's 1.2 x rated. Reading time is the wall clock (state telemetry
 * is sent on change), strictly increasing per car.
 */
export function elevatorSource(dev: BenchDevice, startIndex: number, clock: () => number = Date.now): PayloadSource {
  let lastTs = 0;
  return {
    topic: Buffer.from(`hb/v1/${dev.id}/telemetry`),
    index: startIndex,
    next() {
      const n = this.index++;
      const ts = Math.max(lastTs + 1, clock());
      lastTs = ts;
      const t = Math.floor(n / 6);
      const from = tripFloor(t) + ELEVATOR_FLOORS.min + 1;
      const d = tripFloor(t + 1) + ELEVATOR_FLOORS.min + 1 > from ? 1 : -1;
      const phase = n % 6;
      const moving = phase >= 1 && phase <= 4;
      const floor = phase <= 1 ? from : phase <= 3 ? from + d : from + 2 * d;
      const doorZone = phase === 0 || phase === 2 || phase >= 4;
      const speed = [0, 1, 1.5, 1.5, 0.3, 0][phase];
      const direction = moving ? (d > 0 ? 'up' : 'down') : 'stopped';
      return (
        `{"ts":${ts},"seq":${n},"floor":${floor},"doorZone":${doorZone},"direction":"${direction}",` +
        `"door":"closed","occupied":false,"speedMps":${speed},"mode":"normal","power":"mains","batteryPct":100,"rssi":${-60 - (n % 20)}}`
      );
    },
  };
}

/** `clock` is the elevators' reading time (the wall clock, or a replay's virtual time). */
export function sourceFor(dev: BenchDevice, waterEpoch: number, startIndex: number, clock: () => number = Date.now): PayloadSource {
  if (dev.kind === 'water_meter') return waterSource(dev, waterEpoch, startIndex);
  if (dev.kind === 'elevator') return elevatorSource(dev, startIndex, clock);
  throw new RangeError(`${dev.id}: smoke alarms are probes, not load`);
}

/**
 * Reading time of the first water message: far enough back (200 days by default) that reading time
 * never overtakes the clock. The telemetry phase asks for 30 days, so that the embedded store keeps
 * the readings (raw retention 35 days) instead of refusing them as too old; its three rounds move
 * reading time about 5 days forward.
 */
export function waterEpochFor(now: number, daysBack = 200): number {
  return Math.floor((now - daysBack * 24 * 3600_000) / WATER_STEP_MS) * WATER_STEP_MS;
}

/** The smoke `alarm` event a latency probe sends (protocol.md, smoke alarm events). */
export function alarmPayload(ts: number, seq: number): string {
  return `{"ts":${ts},"seq":${seq},"event":"alarm"}`;
}
