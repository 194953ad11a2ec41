import { Harness, IDLE, lift, liftEvent, MIN, S, T0 } from '../../test-support/harness.test-helpers';

const trapped = { direction: 'stopped' as const, door: 'closed' as const, occupied: true };

describe('elevator state timers fire without a further message', () => {
  it('entrapment fires at 20 s by deadline and only a person resolves it', () => {
    const h = new Harness();
    h.send(lift(T0, { ...IDLE, direction: 'down', speedMps: 1, doorZone: false }), T0);
    h.send(lift(T0 + 10 * S, trapped), T0 + 10 * S);
    expect(h.core.nextDeadline()).toBe(T0 + 30 * S);
    h.advance(T0 + 30 * S);
    const [a] = h.opened('elevator.entrapment');
    expect(a).toMatchObject({ openedAt: T0 + 30 * S, severity: 'critical', subject: { type: 'elevator', id: 'E-1' } });
    expect(a?.reason).toBe('car stopped at floor 5 with the door closed and somebody inside for 20 s (since 00:00)');
    h.send(lift(T0 + 40 * S, { door: 'open', occupied: false }), T0 + 40 * S);
    expect(h.alert('elevator.entrapment')?.state).toBe('open');
    expect(h.alert('elevator.entrapment')?.timeline.at(-1)?.action).toBe('condition_cleared');
  });

  it('a technician in inspection mode is not trapped', () => {
    const h = new Harness();
    h.send(lift(T0, { ...trapped, mode: 'inspection' }), T0);
    h.advance(T0 + 50 * S);
    expect(h.opened('elevator.entrapment')).toHaveLength(0);
  });

  it('stale telemetry (older than the current state) is ignored', () => {
    const h = new Harness();
    h.send(lift(T0 + 10 * S), T0 + 10 * S);
    h.send(lift(T0, trapped), T0 + 11 * S);
    h.advance(T0 + 45 * S);
    expect(h.opened('elevator.entrapment')).toHaveLength(0);
  });

  it('the door held open resolves itself after it closes and the cooldown passes', () => {
    const h = new Harness();
    h.send(lift(T0, { door: 'open' }), T0);
    h.advance(T0 + 61 * S);
    h.send(lift(T0 + 70 * S, { door: 'closed' }), T0 + 70 * S);
    for (let t = T0 + 80 * S; t <= T0 + 5 * MIN; t += 20 * S) h.send(lift(t), t);
    expect(h.alert('elevator.door_held_open')).toMatchObject({ state: 'resolved', outcome: 'auto_cleared', resolvedAt: T0 + 70 * S + 120 * S });
  });

  it('overspeed raises its severity to critical within one episode', () => {
    const h = new Harness();
    h.send(lift(T0, { direction: 'up', speedMps: 2.2, doorZone: false }), T0);
    h.send(lift(T0 + 500, { direction: 'up', speedMps: 2.5, doorZone: false }), T0 + 500);
    const a = h.alert('elevator.overspeed')!;
    expect(a).toMatchObject({ severity: 'critical', count: 2 });
    expect(a.timeline.map((e) => e.action)).toEqual(['opened', 'triggered', 'severity_raised']);
  });

  it('a test call clears a missing-test-call alert', () => {
    const h = new Harness();
    for (let t = T0; t <= T0 + 73 * 60 * MIN; t += 30 * S * 60) h.send(lift(t), t);
    expect(h.opened('elevator.test_call_missing')).toHaveLength(1);
    h.send(liftEvent(T0 + 74 * 60 * MIN, 'test_call'), T0 + 74 * 60 * MIN);
    expect(h.alert('elevator.test_call_missing')).toMatchObject({ state: 'resolved', outcome: 'auto_cleared' });
  });
});
