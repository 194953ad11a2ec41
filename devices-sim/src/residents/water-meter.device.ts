import { MAX_PAYLOAD_BYTES, type WaterReading } from '@hearthbeat/contracts';
import { ActionQueue } from '../core/action-queue.util';
import { Rng } from '../core/prng.util';
import { BatteryModel } from '../devices/battery.model';
import type { DeviceAction } from '../devices/device-action.types';
import { inWindow, mergeWindows, type DevicePlan } from '../devices/device-plan.types';
import type { Draw } from './daily-routine.model';
import { WaterLedger } from './water-ledger.model';

export interface WaterMeterConfig {
  id: string;
  seed: string;
  /** Simulation start (epoch ms): the meter boots then. */
  start: number;
  /** Reading interval (15 min by default). */
  intervalMs: number;
  /** Readings per upload: 1 sends each reading at once; 4 sends an hourly batch of four, as NB-IoT meters do. */
  batch: number;
  draws: Iterator<Draw, void>;
  plan: DevicePlan;
}

type Pending = { kind: 'online' } | { kind: 'offline' } | { kind: 'event'; event: string } | { kind: 'single'; reading: WaterReading } | { kind: 'flush' };

/** A meter keeps about a month of interval readings for when the network is gone. */
const MAX_BUFFERED_READINGS = 2880;

/**
 * A smart water meter: reads its register every interval and sends the reading, or a batch of readings
 * with their own `ts`, plus battery and signal. During an outage it cannot send; a batching meter keeps
 * its readings and uploads the backlog when it is back, a single-reading meter loses them.
 */
export function* waterMeterActions(cfg: WaterMeterConfig): Generator<DeviceAction, void> {
  const rng = Rng.derive(cfg.seed, cfg.id, 'meter');
  const phase = Math.round(rng.range(10_000, cfg.intervalMs));
  // Meters spread their uploads after the reading so that a whole district does not send at once.
  const uploadDelay = Math.round(rng.range(5_000, Math.max(6_000, Math.min(120_000, cfg.intervalMs / 2))));
  const register0 = rng.range(2_000, 400_000);
  const battery = new BatteryModel(cfg.start, rng.range(55, 100), rng.range(0.005, 0.02), cfg.plan.lowBattery);
  // NB-IoT meters sit in shafts and basements: weak signal.
  const rssiMean = rng.range(-110, -75);
  const ledger = new WaterLedger(cfg.draws);
  const offline = mergeWindows(cfg.plan.offline);
  const q = new ActionQueue<Pending>();
  q.push(cfg.start + Math.round(rng.range(0, 5_000)), { kind: 'online' });
  for (const [from, to] of offline) {
    q.push(from, { kind: 'offline' });
    q.push(to, { kind: 'online' });
  }
  for (const e of cfg.plan.events) q.push(e.at, { kind: 'event', event: e.event });

  let seq = 0;
  let buffer: WaterReading[] = [];
  for (let k = 0; ; k++) {
    const tick = cfg.start + phase + k * cfg.intervalMs;
    const volume = ledger.volumeAt(tick);
    const reading: WaterReading = { ts: tick, totalL: floorTenth(register0 + volume), flowLpm: roundTenth(ledger.flowAt(tick)) };
    const isOff = inWindow(offline, tick);
    if (cfg.batch <= 1) {
      if (!isOff) q.push(tick, { kind: 'single', reading });
    } else {
      buffer.push(reading);
      if (buffer.length > MAX_BUFFERED_READINGS) buffer = buffer.slice(-MAX_BUFFERED_READINGS);
      if (isOff) {
        // Upload the backlog once the meter is back on the network (reconnect, then send).
        const end = windowEnd(offline, tick);
        if (end <= tick + cfg.intervalMs) q.push(end + Math.round(rng.range(20_000, 90_000)), { kind: 'flush' });
      } else if (buffer.length >= cfg.batch) q.push(tick + uploadDelay, { kind: 'flush' });
    }

    const nextTick = tick + cfg.intervalMs;
    for (let due = q.popBefore(nextTick); due; due = q.popBefore(nextTick)) {
      const { at, item } = due;
      if (item.kind === 'online' || item.kind === 'offline') {
        yield { type: item.kind, at };
        continue;
      }
      if (inWindow(offline, at)) continue;
      const status = { batteryPct: battery.pctAt(at), rssi: Math.round(rssiMean + rng.normal(0, 2.5)) };
      if (item.kind === 'event') {
        yield { type: 'publish', at, channel: 'event', payload: { ts: at, seq: seq++, event: item.event } };
      } else if (item.kind === 'single') {
        const r = item.reading;
        yield { type: 'publish', at, channel: 'telemetry', payload: { ts: at, seq: seq++, totalL: r.totalL, flowLpm: r.flowLpm, ...status, valve: 'open' } };
      } else if (buffer.length > 0) {
        const chunks = chunkReadings(buffer);
        buffer = [];
        for (let i = 0; i < chunks.length; i++) {
          // One millisecond apart so that each upload has its own (ts, seq) even for a strict de-duplicator.
          const ts = at + i;
          yield { type: 'publish', at: ts, channel: 'telemetry', payload: { ts, seq: seq++, readings: chunks[i], ...status } };
        }
      }
    }
  }
}

function windowEnd(windows: [number, number][], t: number): number {
  for (const [a, b] of windows) if (t >= a && t < b) return b;
  return t;
}

/** Splits a backlog into uploads that each stay under the protocol's 8 KiB payload limit. */
export function chunkReadings(readings: WaterReading[]): WaterReading[][] {
  const budget = MAX_PAYLOAD_BYTES - 200; // room for ts, seq, battery and signal
  const out: WaterReading[][] = [];
  let current: WaterReading[] = [];
  let size = 0;
  for (const r of readings) {
    const len = JSON.stringify(r).length + 1;
    if (current.length > 0 && size + len > budget) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(r);
    size += len;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The register shows whole tenths of a litre and never rounds up (it counts what has passed). */
function floorTenth(x: number): number {
  return Math.floor(x * 10 + 1e-7) / 10;
}

function roundTenth(x: number): number {
  return Math.round(x * 10) / 10;
}
