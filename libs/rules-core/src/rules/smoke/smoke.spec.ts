import { H, Harness, MIN, smoke, status, T0 } from '../../test-support/harness.test-helpers';

describe('smoke detectors read with their last words (domain.md)', () => {
  it('offline during an alarm is treated as a fire: smoke.alarm again, never a plain offline alert', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    h.advance(T0 + 3 * H);
    expect(h.opened('smoke.offline')).toHaveLength(0);
    const a = h.core.alerts().find((x) => x.rule === 'smoke.alarm')!;
    expect(a.count).toBe(2);
    expect(a.reason).toBe('detector went silent (no heartbeat) during an alarm that began 00:00: treat as a fire');
    expect(() => h.core.resolve(a.id, 'auto_cleared', '', 'system', T0 + 3 * H)).toThrow();
  });

  it('the Last Will of an alarming detector counts at once', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    h.send(status('SA-1', 'smoke_alarm', false), T0 + MIN);
    expect(h.core.alerts().find((x) => x.rule === 'smoke.alarm')?.reason).toContain('connection lost');
  });

  it('tamper then offline reads as "removed by the resident": smoke.tamper raised to high', () => {
    const h = new Harness();
    h.send(smoke(T0, 'tamper'), T0);
    expect(h.alert('smoke.tamper')?.severity).toBe('medium');
    h.advance(T0 + 3 * H);
    expect(h.opened('smoke.offline')).toHaveLength(0);
    expect(h.alert('smoke.tamper')).toMatchObject({ severity: 'high', count: 2 });
    expect(h.alert('smoke.tamper')?.reason).toMatch(/^detector probably removed/);
  });

  it('tamper restored resolves the tamper alert after its cooldown', () => {
    const h = new Harness();
    h.send(smoke(T0, 'tamper'), T0);
    h.send(smoke(T0 + MIN, 'tamper_restored'), T0 + MIN);
    h.advance(T0 + 7 * MIN);
    expect(h.core.alerts().find((x) => x.rule === 'smoke.tamper')).toMatchObject({ state: 'resolved', outcome: 'auto_cleared' });
  });

  it('low battery then offline reads as a flat battery', () => {
    const h = new Harness();
    h.send(smoke(T0, 'low_battery'), T0);
    h.advance(T0 + 3 * H);
    expect(h.opened('smoke.offline')[0]?.reason).toMatch(/battery probably flat \(low battery reported 00:00\)$/);
  });
});
