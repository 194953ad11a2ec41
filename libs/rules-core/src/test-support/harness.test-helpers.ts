import type { Alert, DeviceMessage, ElevatorTelemetry, RuleId, RuleOverrides } from '@hearthbeat/contracts';
import type { CoreEvent } from '../core/core-events';
import type { CoreOptions } from '../core/kernel';
import { RulesCore } from '../core/rules-core';
import type { CoreRegistry } from '../registry/core-registry.types';

/** 2025-11-21 00:00 in Shanghai (UTC+8). */
export const T0 = Date.UTC(2025, 10, 20, 16, 0, 0);
export const S = 1000;
export const MIN = 60 * S;
export const H = 60 * MIN;

export interface FleetOptions {
  timezone?: string;
  siteRules?: RuleOverrides;
  residentRules?: RuleOverrides;
  elevatorRules?: RuleOverrides;
  waterIntervalS?: number;
  smokeIntervalS?: number;
  extraMeter?: boolean;
  away?: { from: number; to: number; note?: string }[];
  escalation?: CoreRegistry['sites'][number]['escalation'];
}

/** One site, one resident (meter WM-1, detector SA-1), one elevator (EL-1, rated 1.75 m/s, floors -1..18). */
export function fleet(o: FleetOptions = {}): CoreRegistry {
  return {
    sites: [{ id: 'site-1', timezone: o.timezone ?? 'Asia/Shanghai', ...(o.siteRules ? { rules: o.siteRules } : {}), ...(o.escalation ? { escalation: o.escalation } : {}) }],
    residents: [
      {
        id: 'R-1',
        site: 'site-1',
        devices: ['WM-1', 'SA-1', ...(o.extraMeter ? ['WM-2'] : [])],
        ...(o.residentRules ? { rules: o.residentRules } : {}),
        ...(o.away ? { away: o.away } : {}),
      },
    ],
    elevators: [{ id: 'E-1', site: 'site-1', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-1', ...(o.elevatorRules ? { rules: o.elevatorRules } : {}) }],
    devices: [
      { id: 'WM-1', kind: 'water_meter', reportIntervalS: o.waterIntervalS ?? 900 },
      { id: 'WM-2', kind: 'water_meter', reportIntervalS: o.waterIntervalS ?? 900 },
      { id: 'SA-1', kind: 'smoke_alarm', reportIntervalS: o.smokeIntervalS ?? 3600 },
      { id: 'EL-1', kind: 'elevator', reportIntervalS: 30 },
    ],
  };
}

let seq = 1;
export const water = (ts: number, totalL: number, extra: { flowLpm?: number; batteryPct?: number; seq?: number; deviceId?: string; valve?: 'open' | 'closed' | 'fault' } = {}): DeviceMessage => {
  const { deviceId = 'WM-1', seq: s = seq++, ...rest } = extra;
  return { deviceId, kind: 'water_meter', channel: 'telemetry', body: { ts, seq: s, totalL, ...rest } };
};
export const waterBatch = (ts: number, readings: { ts: number; totalL: number; flowLpm?: number }[], deviceId = 'WM-1'): DeviceMessage => ({
  deviceId,
  kind: 'water_meter',
  channel: 'telemetry',
  body: { ts, seq: seq++, readings },
});
export const waterEvent = (ts: number, event: 'leak' | 'valve_fault' | 'low_battery' | 'tamper'): DeviceMessage => ({
  deviceId: 'WM-1',
  kind: 'water_meter',
  channel: 'event',
  body: { ts, seq: seq++, event },
});
export const smoke = (ts: number, event?: 'alarm' | 'alarm_cleared' | 'silenced' | 'test' | 'low_battery' | 'fault' | 'chamber_dirty' | 'tamper' | 'tamper_restored', s = seq++): DeviceMessage =>
  event
    ? { deviceId: 'SA-1', kind: 'smoke_alarm', channel: 'event', body: { ts, seq: s, event } }
    : { deviceId: 'SA-1', kind: 'smoke_alarm', channel: 'telemetry', body: { ts, seq: s, batteryPct: 90 } };
export const smokeBattery = (ts: number, batteryPct: number): DeviceMessage => ({
  deviceId: 'SA-1',
  kind: 'smoke_alarm',
  channel: 'telemetry',
  body: { ts, seq: seq++, batteryPct },
});

export const IDLE: Omit<ElevatorTelemetry, 'ts'> = {
  floor: 5,
  doorZone: true,
  direction: 'stopped',
  door: 'closed',
  occupied: false,
  speedMps: 0,
  mode: 'normal',
  power: 'mains',
};
export const lift = (ts: number, state: Partial<ElevatorTelemetry> = {}): DeviceMessage => ({
  deviceId: 'EL-1',
  kind: 'elevator',
  channel: 'telemetry',
  body: { ...IDLE, ts, seq: seq++, ...state },
});
export const liftEvent = (
  ts: number,
  event: 'alarm_button' | 'safety_circuit' | 'door_lock_fault' | 'overrun_top' | 'overrun_bottom' | 'power_lost' | 'power_restored' | 'test_call',
  heldMs?: number,
): DeviceMessage => ({ deviceId: 'EL-1', kind: 'elevator', channel: 'event', body: { ts, seq: seq++, event, ...(heldMs !== undefined ? { heldMs } : {}) } });
export const status = (deviceId: string, kind: 'water_meter' | 'smoke_alarm' | 'elevator', online: boolean): DeviceMessage => ({
  deviceId,
  kind,
  channel: 'status',
  body: { online },
});

/** Drives a core like the backtest does: advance(t) before every ingest(msg, t); records every event. */
export class Harness {
  core: RulesCore;
  readonly events: CoreEvent[] = [];
  constructor(reg: CoreRegistry = fleet(), options?: CoreOptions) {
    this.core = new RulesCore({ registry: reg, ...(options ? { options } : {}) });
  }
  send(msg: DeviceMessage, t: number): readonly CoreEvent[] {
    this.events.push(...this.core.advance(t));
    const ev = this.core.ingest(msg, t);
    this.events.push(...ev);
    return ev;
  }
  advance(t: number): readonly CoreEvent[] {
    const ev = this.core.advance(t);
    this.events.push(...ev);
    return ev;
  }
  record(ev: readonly CoreEvent[]): readonly CoreEvent[] {
    this.events.push(...ev);
    return ev;
  }
  /** Alerts opened so far (by rule), from the events. */
  opened(rule?: RuleId): Alert[] {
    const out: Alert[] = [];
    for (const e of this.events) if (e.type === 'alert' && e.change === 'opened' && (!rule || e.alert.rule === rule)) out.push(e.alert);
    return out;
  }
  changes(alertId: string): string[] {
    const out: string[] = [];
    for (const e of this.events) if (e.type === 'alert' && e.alert.id === alertId) out.push(e.change);
    return out;
  }
  alert(rule: RuleId): Alert | undefined {
    return this.core.alerts().find((a) => a.rule === rule);
  }
}
