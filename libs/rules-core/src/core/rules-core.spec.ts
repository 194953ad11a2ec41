import { alertFileLineSchema, parseRegistryFile } from '@hearthbeat/contracts';
import { fleet, H, Harness, MIN, smoke, T0, water } from '../test-support/harness.test-helpers';
import { buildCoreRegistry } from '../registry/core-registry.builder';
import { alertFileLineOf } from './alert-file';
import type { AlertEvent } from './core-events';
import { RulesCore } from './rules-core';

describe('RulesCore API', () => {
  it('builds its registry from a contracts RegistryFile (protocol.md example)', () => {
    const parsed = parseRegistryFile({
      sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai', rules: { 'water.no_activity': { windowS: 86400 } } }],
      residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001', 'SA-0001'], away: [{ from: T0, to: T0 + H }] }],
      elevators: [{ id: 'EL-0001', site: 'jiangsu-road', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
      devices: [
        { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-wm-0001' },
        { id: 'SA-0001', kind: 'smoke_alarm' },
        { id: 'EL-0001', kind: 'elevator' },
      ],
    });
    if (!parsed.ok) throw new Error('fixture');
    const reg = buildCoreRegistry(parsed.value, { 'jiangsu-road': { critical: { reminderEveryS: 60 } } });
    expect(reg.devices[0]).toEqual({ id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900 });
    expect(reg.sites[0]?.escalation).toEqual({ critical: { reminderEveryS: 60 } });
    expect(() => buildCoreRegistry(parsed.value, { 'jiangsu-road': { critical: { reminderEveryS: -1 } } })).toThrow(RangeError);
    const core = new RulesCore({ registry: reg });
    core.ingest({ deviceId: 'WM-0001', kind: 'water_meter', channel: 'telemetry', body: { ts: T0, totalL: 1 } }, T0);
    expect(core.awayOf('R-0001')).toHaveLength(1);
  });

  it('emits device health changes (offline, online, battery) only when they change', () => {
    const h = new Harness();
    h.send(water(T0, 100, { batteryPct: 15 }), T0);
    h.send(water(T0 + MIN, 100, { batteryPct: 14 }), T0 + MIN);
    h.advance(T0 + H);
    h.send(water(T0 + H, 100, { batteryPct: 30 }), T0 + H);
    const changes = h.events.flatMap((e) => (e.type === 'device' && e.deviceId === 'WM-1' ? [e.change] : []));
    expect(changes).toEqual(['battery_low', 'offline', 'online', 'battery_ok']);
  });

  it('markNormal resolves as a false alarm and emits the learned-routine hook', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    const id = h.opened('smoke.alarm')[0]!.id;
    h.record(h.core.markNormal(id, 'cooking smoke every evening', 'wang', T0 + MIN));
    expect(h.core.getAlert(id)).toMatchObject({ state: 'resolved', outcome: 'false_alarm' });
    expect(h.events.at(-1)).toMatchObject({ type: 'marked_normal', rule: 'smoke.alarm', alertId: id, by: 'wang' });
  });

  it('updateRegistry applies new parameters at once and starts new devices listening', () => {
    const h = new Harness(fleet({ residentRules: { 'water.meter_offline': { afterS: 86400 } } }));
    h.send(water(T0, 100), T0);
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 12 * H);
    h.record(h.core.updateRegistry(fleet({ residentRules: { 'water.meter_offline': { afterS: 86400 }, 'water.no_activity': { windowS: 6 * 3600 } } }), T0 + H));
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 6 * H);
    const reg = fleet();
    reg.devices.push({ id: 'WM-9', kind: 'water_meter', reportIntervalS: 900 });
    reg.residents.push({ id: 'R-9', site: 'site-1', devices: ['WM-9'] });
    h.record(h.core.updateRegistry(reg, T0 + 2 * H));
    expect(h.core.deviceState('WM-9')?.due.offline).toBe(T0 + 2 * H + 30 * 60_000);
  });

  it('maps state changes to protocol.md alert-file lines', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    const id = h.opened('smoke.alarm')[0]!.id;
    h.record(h.core.acknowledge(id, 'wang', T0 + 10 * MIN));
    h.record(h.core.resolve(id, 'safe', '', 'wang', T0 + 2 * H));
    const lines = h.events.flatMap((e) => (e.type === 'alert' ? [alertFileLineOf(e as AlertEvent)] : [])).filter((l) => l !== undefined);
    expect(lines.map((l) => [l.alertId, l.state, l.t - T0])).toEqual([
      [id, 'open', 0],
      [id, 'acknowledged', 10 * MIN],
      [id, 'resolved', 2 * H],
    ]);
    for (const l of lines) expect(alertFileLineSchema.safeParse(l).success).toBe(true);
    expect(lines[2]).toMatchObject({ outcome: 'safe', deviceId: 'SA-1', subject: { type: 'resident', id: 'R-1' }, severity: 'critical' });
  });
});
