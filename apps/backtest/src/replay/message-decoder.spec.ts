import { messageLogLineSchema } from '@hearthbeat/contracts';
import { smallRegistry, T0 } from '../test-support/files.test-helpers';
import { logLineOf, MessageDecoder } from './message-decoder';

const dec = new MessageDecoder({
  ...smallRegistry(),
  elevators: [{ id: 'EL-0001', site: 'jiangsu-road', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
  devices: [...smallRegistry().devices, { id: 'EL-0001', kind: 'elevator', reportIntervalS: 30 }],
});
const line = (o: unknown) => JSON.stringify(o);
const reason = (l: string) => {
  const d = dec.decode(l);
  return d.ok ? 'ok' : d.reason;
};

describe('message-log lines through the contracts', () => {
  it('decodes a good line into a typed message received at t', () => {
    const d = dec.decode(line({ t: T0 + 500, topic: 'hb/v1/WM-0001/telemetry', payload: { ts: T0, seq: 1, totalL: 1234.5 } }));
    expect(d).toEqual({ ok: true, t: T0 + 500, message: { deviceId: 'WM-0001', kind: 'water_meter', channel: 'telemetry', body: { ts: T0, seq: 1, totalL: 1234.5 } } });
  });

  it('names every kind of bad line, never throwing', () => {
    const t = T0;
    expect(reason('{"t":1,')).toBe('line_not_json');
    expect(reason(line({ topic: 'hb/v1/WM-0001/telemetry', payload: {} }))).toBe('line_invalid');
    expect(reason(line({ t: -1, topic: 'x', payload: {} }))).toBe('line_invalid');
    expect(reason(line([1, 2]))).toBe('line_invalid');
    expect(reason(line({ t, topic: 'hb/v2/WM-0001/telemetry', payload: {} }))).toBe('wrong_topic');
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/cmd', payload: {} }))).toBe('wrong_topic');
    expect(reason(line({ t, topic: 'hb/v1/WM-9999/telemetry', payload: { ts: t, totalL: 1 } }))).toBe('unknown_device');
    // Garbage replayed as a string payload (simulator: cut-off JSON).
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/telemetry', payload: '{"ts":17932' }))).toBe('not_json');
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/telemetry', payload: 42 }))).toBe('not_an_object');
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/telemetry', payload: { ts: t, totalL: '5' } }))).toBe('wrong_type');
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/telemetry', payload: { ts: t, totalL: 5, batteryPct: 255 } }))).toBe('out_of_range');
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/telemetry', payload: { ts: t, totalL: 5, valve: 'half' } }))).toBe('unknown_enum');
    expect(reason(line({ t, topic: 'hb/v1/WM-0001/telemetry', payload: { totalL: 5 } }))).toBe('missing_field');
    expect(reason(line({ t, topic: 'hb/v1/EL-0001/telemetry', payload: { ts: t, floor: 30, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' } }))).toBe('out_of_range');
  });

  it('judges "ts too far ahead" against the receive time t, not the wall clock', () => {
    const ahead = (h: number) => line({ t: T0, topic: 'hb/v1/SA-0001/event', payload: { ts: T0 + h * 3_600_000, event: 'alarm' } });
    expect(reason(ahead(23))).toBe('ok');
    expect(reason(ahead(25))).toBe('ts_in_future');
  });

  it('its fast path agrees with messageLogLineSchema', () => {
    const samples: unknown[] = [
      { t: 1, topic: 'a', payload: {} },
      { t: 1, topic: 'a' },
      { t: 1.5, topic: 'a', payload: 1 },
      { t: -1, topic: 'a', payload: 1 },
      { t: '1', topic: 'a', payload: 1 },
      { t: 1, topic: '', payload: 1 },
      { t: 1, topic: 5, payload: 1 },
      { t: Number.MAX_SAFE_INTEGER + 2, topic: 'a', payload: 1 },
      null,
      'x',
      [],
    ];
    for (const s of samples) expect([s, logLineOf(s) !== undefined]).toEqual([s, messageLogLineSchema.safeParse(s).success]);
  });
});
