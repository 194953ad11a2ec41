import type { WaterEvent, WaterTelemetry } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { onBatteryPct, onLowBatteryEvent } from '../device/low-battery.rule';
import { goOffline, raiseOffline } from '../device/device-offline.rule';
import { checkContinuousFlow } from './continuous-flow.rule';
import { addDailyUsage } from './high-use.rule';
import { leakEvent } from './leak.rule';
import { meterFaultEvent, onValveState, registerWentDown } from './meter-fault.rule';
import { checkNoActivity } from './no-activity.rule';
import { insertReading, pruneReadings, type UsageSink } from './water-readings';

/**
 * Water meter messages: interval readings are applied one by one in reading time (a batch may hold
 * many; late ones are inserted in place), then the rules that look at the readings run once.
 */
class Sink implements UsageSink {
  k!: Kernel;
  dev!: DeviceRuntime;
  at = 0;
  usage(ts: number, liters: number): void {
    const dev = this.dev;
    const w = dev.state.water;
    if (!w) return;
    if (liters > 0 && (w.lastUseTs === undefined || ts >= w.lastUseTs)) {
      w.lastUseTs = ts;
      w.lastUseL = liters;
    }
    addDailyUsage(this.k, dev, ts, liters, this.at);
    if (liters > 0) this.k.away.onWaterUse(dev.owner, dev, ts, liters, this.at);
    if (liters >= dev.params['water.routine_deviation'].minUseLiters) this.k.routine.onUse(dev.owner, ts);
  }
  registerDown(ts: number, fromL: number, toL: number): void {
    registerWentDown(this.k, this.dev, ts, fromL, toL, this.at);
  }
}
const sink = new Sink();
/** Stale readings pruned 16 at a time (see pruneReadings). */
const PRUNE_SLACK = 16;

export function onWaterTelemetry(k: Kernel, dev: DeviceRuntime, body: WaterTelemetry, at: number): void {
  const w = dev.state.water;
  if (!w) return;
  sink.k = k;
  sink.dev = dev;
  sink.at = at;
  let changed = false;
  const readings = body.readings;
  if (readings) {
    let sorted = true;
    for (let i = 1; i < readings.length; i++) if ((readings[i] as { ts: number }).ts < (readings[i - 1] as { ts: number }).ts) sorted = false;
    const list = sorted ? readings : [...readings].sort((a, b) => a.ts - b.ts);
    for (const r of list) changed = apply(w, r.ts, r.totalL, r.flowLpm ?? 0) || changed;
  } else if (body.totalL !== undefined) {
    changed = apply(w, body.ts, body.totalL, body.flowLpm ?? 0);
  }
  if (body.batteryPct !== undefined) onBatteryPct(k, dev, body.batteryPct, at);
  if (body.valve !== undefined) onValveState(k, dev, body.valve === 'fault', body.ts, at);
  if (!changed) return;
  const latest = w.ts[w.ts.length - 1] as number;
  const p = dev.params;
  pruneReadings(w, latest - Math.max(p['water.no_activity'].windowS, p['water.continuous_flow'].afterS) * 1000, PRUNE_SLACK);
  checkContinuousFlow(k, dev, at);
  k.routine.onReadings(dev.owner, latest, at);
  checkNoActivity(k, dev, at);
}

function apply(w: NonNullable<DeviceRuntime['state']['water']>, ts: number, total: number, flow: number): boolean {
  if (w.since === undefined) w.since = ts;
  return insertReading(w, ts, total, flow, sink);
}

export function onWaterEvent(k: Kernel, dev: DeviceRuntime, body: WaterEvent, at: number): void {
  switch (body.event) {
    case 'leak':
      return leakEvent(k, dev, body.ts, at);
    case 'valve_fault':
    case 'tamper':
      return meterFaultEvent(k, dev, body.event, body.ts, at);
    case 'low_battery':
      return onLowBatteryEvent(k, dev, body.ts, at);
  }
}

/** The offline deadline: pause no-activity (an offline meter never means "no activity"). */
export function onWaterOffline(k: Kernel, dev: DeviceRuntime, at: number): void {
  goOffline(k, dev, at);
  k.clearTimer(dev, 'noActivity');
  k.routine.onMeterOffline(dev.owner);
  raiseOffline(k, dev, at, '; no-activity checks are paused until it reports again');
}

export function onWaterTimer(k: Kernel, dev: DeviceRuntime, name: string, at: number): void {
  if (name === 'offline') onWaterOffline(k, dev, at);
  else if (name === 'noActivity') checkNoActivity(k, dev, at);
}
