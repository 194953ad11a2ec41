import { ActionQueue } from '../core/action-queue.util';
import { Rng } from '../core/prng.util';
import { BatteryModel } from '../devices/battery.model';
import type { DeviceAction } from '../devices/device-action.types';
import { inWindow, mergeWindows, type DevicePlan } from '../devices/device-plan.types';

export interface SmokeAlarmConfig {
  id: string;
  seed: string;
  start: number;
  /** Heartbeat period (1 h by default; GB 20517 detectors send every 1-24 h). */
  heartbeatMs: number;
  plan: DevicePlan;
}

type Pending = { kind: 'online' } | { kind: 'offline' } | { kind: 'event'; event: string } | { kind: 'heartbeat' };

/**
 * An independent smoke detector: a heartbeat with battery and signal every period, and the events its
 * scenarios call for (alarm, tamper, low battery...). While offline (removed, burnt, flat) it sends nothing.
 */
export function* smokeAlarmActions(cfg: SmokeAlarmConfig): Generator<DeviceAction, void> {
  const rng = Rng.derive(cfg.seed, cfg.id, 'smoke');
  const phase = Math.round(rng.range(10_000, cfg.heartbeatMs));
  const battery = new BatteryModel(cfg.start, rng.range(60, 100), rng.range(0.01, 0.03), cfg.plan.lowBattery);
  const rssiMean = rng.range(-105, -70);
  const offline = mergeWindows(cfg.plan.offline);
  const q = new ActionQueue<Pending>();
  q.push(cfg.start + Math.round(rng.range(0, 5_000)), { kind: 'online' });
  for (const [from, to] of offline) {
    q.push(from, { kind: 'offline' });
    q.push(to, { kind: 'online' });
  }
  for (const e of cfg.plan.events) q.push(e.at, { kind: 'event', event: e.event });

  let seq = 0;
  for (let k = 0; ; k++) {
    const tick = cfg.start + phase + k * cfg.heartbeatMs;
    q.push(tick, { kind: 'heartbeat' });
    const nextTick = tick + cfg.heartbeatMs;
    for (let due = q.popBefore(nextTick); due; due = q.popBefore(nextTick)) {
      const { at, item } = due;
      if (item.kind === 'online' || item.kind === 'offline') {
        yield { type: item.kind, at };
        // A detector reports at power-on, so a replaced or refitted one is heard from at once.
        if (item.kind === 'online') q.push(at + 2_000, { kind: 'heartbeat' });
      } else if (!inWindow(offline, at)) {
        if (item.kind === 'event') yield { type: 'publish', at, channel: 'event', payload: { ts: at, seq: seq++, event: item.event } };
        else {
          const payload = { ts: at, seq: seq++, batteryPct: battery.pctAt(at), rssi: Math.round(rssiMean + rng.normal(0, 2.5)) };
          yield { type: 'publish', at, channel: 'telemetry', payload };
        }
      }
    }
  }
}
