import { parseDevicePayload, type DeviceKind, type DeviceMessage } from '@hearthbeat/contracts';
import { toLineProtocol } from './line-protocol.serializer';
import { MessagePointsMapper } from './message-points.mapper';
import type { TelemetrySubject } from './telemetry-point';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const resident: TelemetrySubject = { type: 'resident', id: 'R-0001', site: 'jiangsu-road' };
const elevator: TelemetrySubject = { type: 'elevator', id: 'EL-0001', site: 'jiangsu-road' };

function parse(deviceId: string, kind: DeviceKind, channel: 'telemetry' | 'event' | 'status', payload: unknown): DeviceMessage {
  const r = parseDevicePayload(payload, { deviceId, kind, channel, now: T0 });
  if (!r.ok) throw new Error(r.rejection.message);
  return r.value;
}

describe('MessagePointsMapper and toLineProtocol', () => {
  it('maps a batch of water readings to one point each plus a health point, in line protocol', () => {
    const msg = parse('WM-0001', 'water_meter', 'telemetry', {
      ts: T0 + 1_800_000,
      readings: [
        { ts: T0 + 900_000, totalL: 100.5 },
        { ts: T0, totalL: 100 },
      ],
      batteryPct: 87,
      rssi: -85,
    });
    const lines = new MessagePointsMapper().map(msg, resident, T0 + 1_800_500).map(toLineProtocol);
    expect(lines).toEqual([
      `device_health,device=WM-0001,kind=water_meter,site=jiangsu-road,subject=R-0001,subject_type=resident batteryPct=87.0,rssi=-85.0 ${T0 + 1_800_000}`,
      `water,device=WM-0001,resident=R-0001,site=jiangsu-road totalL=100.0 ${T0}`,
      `water,device=WM-0001,resident=R-0001,site=jiangsu-road totalL=100.5 ${T0 + 900_000}`,
    ]);
  });

  it('stamps a status without ts at receipt, and escapes tag values', () => {
    const msg = parse('SA-0001', 'smoke_alarm', 'status', { online: false });
    const [line] = new MessagePointsMapper().map(msg, { type: 'resident', id: 'R 1,x=y', site: 's' }, T0).map(toLineProtocol);
    expect(line).toBe(`device_status,device=SA-0001,kind=smoke_alarm,site=s,subject=R\\ 1\\,x\\=y,subject_type=resident online=false,receivedAt=${T0}i ${T0}`);
  });

  it('derives trips, door cycles and quarter-hour downtime pieces from elevator states', () => {
    const m = new MessagePointsMapper(60_000);
    const state = (ts: number, patch: object) =>
      parse('EL-0001', 'elevator', 'telemetry', { ts, floor: 1, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains', ...patch });
    const at = T0 + 14 * 60_000; // 00:14 UTC
    m.map(state(at, { door: 'open' }), elevator, at);
    m.map(state(at + 2_000, { direction: 'up', door: 'closed', floor: 2, doorZone: false, speedMps: 1.5 }), elevator, at);
    const arrival = m.map(state(at + 4_000, { floor: 3 }), elevator, at).map(toLineProtocol);
    expect(arrival).toContain(`elevator_trip,device=EL-0001,elevator=EL-0001,site=jiangsu-road fromFloor=1i,toFloor=3i,durationMs=2000i ${at + 4_000}`);
    expect(m.trackerOf('EL-0001')?.last?.ts).toBe(at + 4_000);
    // Silent for 2 minutes across 00:15: one offline interval, cut at the quarter hour.
    const back = m.map(state(at + 124_000, { floor: 3 }), elevator, at).map(toLineProtocol);
    expect(back.filter((l) => l.startsWith('elevator_downtime'))).toEqual([
      `elevator_downtime,device=EL-0001,elevator=EL-0001,reason=offline,site=jiangsu-road durationMs=56000i ${at + 4_000}`,
      `elevator_downtime,device=EL-0001,elevator=EL-0001,reason=offline,site=jiangsu-road durationMs=64000i ${T0 + 15 * 60_000}`,
    ]);
    const door = m.map(state(at + 125_000, {}), elevator, at);
    expect(door).toHaveLength(1);
    const cycle = new MessagePointsMapper().map(state(at, { door: 'opening' }), elevator, at);
    expect(cycle.map((p) => p.m)).toEqual(['elevator_state']);
  });

  it('maps an event with its held time and receive time', () => {
    const msg = parse('EL-0001', 'elevator', 'event', { ts: T0, event: 'alarm_button', heldMs: 3200 });
    expect(new MessagePointsMapper().map(msg, elevator, T0 + 40).map(toLineProtocol)).toEqual([
      `device_event,device=EL-0001,event=alarm_button,kind=elevator,site=jiangsu-road,subject=EL-0001,subject_type=elevator heldMs=3200i,receivedAt=${T0 + 40}i ${T0}`,
    ]);
  });
});
