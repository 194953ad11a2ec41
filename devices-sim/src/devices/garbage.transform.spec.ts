import { parseDevicePayload, type DeviceKind, type DevicePublishChannel } from '@hearthbeat/contracts';
import { corrupt, GARBAGE_VARIANTS, withGarbage } from './garbage.transform';
import type { DeviceAction } from './device-action.types';

const TS = Date.UTC(2026, 10, 1);
const SAMPLES: { kind: DeviceKind; channel: DevicePublishChannel; payload: Record<string, unknown> }[] = [
  { kind: 'water_meter', channel: 'telemetry', payload: { ts: TS, seq: 1, totalL: 12.5, flowLpm: 0, batteryPct: 80, rssi: -90, valve: 'open' } },
  { kind: 'water_meter', channel: 'telemetry', payload: { ts: TS, seq: 2, readings: [{ ts: TS - 900_000, totalL: 10, flowLpm: 0 }], batteryPct: 80, rssi: -90 } },
  { kind: 'water_meter', channel: 'event', payload: { ts: TS, seq: 3, event: 'leak' } },
  { kind: 'smoke_alarm', channel: 'telemetry', payload: { ts: TS, seq: 4, batteryPct: 90, rssi: -80 } },
  { kind: 'smoke_alarm', channel: 'event', payload: { ts: TS, seq: 5, event: 'alarm' } },
  {
    kind: 'elevator',
    channel: 'telemetry',
    payload: { ts: TS, seq: 6, floor: 5, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' },
  },
  { kind: 'elevator', channel: 'event', payload: { ts: TS, seq: 7, event: 'alarm_button', heldMs: 500 } },
];

describe('garbage payloads', () => {
  it.each(SAMPLES.flatMap((s) => GARBAGE_VARIANTS.map((v) => [s.kind, s.channel, v, s] as const)))('%s %s %s is rejected for that reason', (kind, channel, variant, sample) => {
    expect(parseDevicePayload(sample.payload, { deviceId: 'D-1', kind, channel, now: TS, floorRange: { min: -1, max: 18 } }).ok).toBe(true);
    const c = corrupt(kind, channel, sample.payload, variant, 18);
    const r = parseDevicePayload(c.payload, { deviceId: 'D-1', kind, channel: c.channel, now: TS, floorRange: { min: -1, max: 18 } });
    expect(r.ok ? 'accepted' : r.rejection.reason).toBe(variant);
  });

  it('corrupts only messages inside the windows, cycling through every variant', () => {
    function* source(): Generator<DeviceAction, void> {
      yield { type: 'online', at: 0 };
      for (let i = 0; i < 20; i++) yield { type: 'publish', at: i * 1000, channel: 'telemetry', payload: { ts: i * 1000, seq: i, batteryPct: 90, rssi: -80 } };
    }
    const out = [...withGarbage(source(), [[5000, 10_000]], 'smoke_alarm')];
    const bad = out.filter((a) => a.type === 'publish' && !parseDevicePayload(a.payload, { deviceId: 'D', kind: 'smoke_alarm', channel: a.channel, now: 1e13 }).ok);
    expect(bad.map((a) => a.at)).toEqual([5000, 6000, 7000, 8000, 9000]);
    expect(out[0]).toEqual({ type: 'online', at: 0 });
  });
});
