import type { DeviceMessage } from '@hearthbeat/contracts';
import { H, Harness, IDLE, lift, liftEvent, MIN, S, T0 } from '../../test-support/harness.test-helpers';
import { BACKLOG_GRACE_MS, BACKLOG_MAX_MS } from './elevator-state';

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

describe('late reports: a terminal uploading its backlog after a reconnect (complaint 3)', () => {
  const R = T0 + 10 * MIN;
  const G = BACKLOG_GRACE_MS;
  /** Uploads `msgs` as one burst from `at`, 10 ms apart (QoS 1 draining a queue); returns the last receipt. */
  const burst = (h: Harness, at: number, msgs: DeviceMessage[]): number => {
    msgs.forEach((m, i) => h.send(m, at + i * 10));
    return at + (msgs.length - 1) * 10;
  };
  /** Live until T0, then nothing until the backlog (the terminal was offline). */
  const reconnecting = (): Harness => {
    const h = new Harness();
    h.send(lift(T0), T0);
    return h;
  };

  it('a late burst in which the car moved on raises nothing', () => {
    const h = reconnecting();
    const last = burst(h, R, [
      lift(T0 + MIN, trapped),
      lift(T0 + MIN + 5 * S, { direction: 'up', speedMps: 1, doorZone: false, occupied: true }),
      lift(T0 + MIN + 9 * S, { direction: 'stopped', speedMps: 0, floor: 8, doorZone: false, occupied: true }),
      lift(T0 + MIN + 15 * S, { floor: 8, door: 'open', occupied: true }),
      lift(T0 + MIN + 25 * S, { floor: 8, door: 'closed', occupied: false }),
    ]);
    h.advance(last + 2 * MIN);
    expect(h.opened('elevator.entrapment')).toEqual([]);
    expect(h.opened('elevator.stopped_outside_door_zone')).toEqual([]);
    expect(h.opened('elevator.door_held_open')).toEqual([]);
    expect(h.core.deviceState('EL-1')?.elevator?.late).toBeUndefined();
  });

  it('a backlog trickling in keeps the wait open: the grace counts from the latest late message', () => {
    const h = reconnecting();
    for (let i = 0; i < 6; i++) h.send(lift(T0 + MIN + i * 30 * S, trapped), R + i * 2 * S);
    h.send(lift(T0 + 4 * MIN, { door: 'open', occupied: true }), R + 12 * S);
    h.advance(R + 2 * MIN);
    expect(h.opened('elevator.entrapment')).toEqual([]);
  });

  it('a late burst that ends still trapped raises the entrapment within the grace, saying since when and how late', () => {
    const h = reconnecting();
    const last = burst(h, R, [lift(T0 + MIN, trapped), lift(T0 + MIN + 30 * S, trapped), lift(T0 + 2 * MIN, trapped)]);
    h.advance(last + G - 1);
    expect(h.opened('elevator.entrapment')).toEqual([]);
    h.advance(last + G);
    const [a] = h.opened('elevator.entrapment');
    expect(a).toMatchObject({ openedAt: last + G, severity: 'critical' });
    expect(a?.reason).toBe('car stopped at floor 5 with the door closed and somebody inside for 9.1 min (since 00:01, reported 9 min late)');
    expect(h.opened('elevator.entrapment')).toHaveLength(1);
  });

  it('a backlog that catches up (a state on time) decides at once, without waiting out the grace', () => {
    const h = reconnecting();
    burst(h, R, [lift(T0 + MIN, trapped), lift(T0 + 2 * MIN, trapped)]);
    h.send(lift(R + S, trapped), R + 2 * S);
    h.advance(R + 2 * S);
    expect(h.opened('elevator.entrapment').map((a) => a.openedAt)).toEqual([R + 2 * S]);
  });

  it('door held open: a late burst in which the door closed raises nothing; one still open raises within the grace', () => {
    const closed = reconnecting();
    burst(closed, R, [lift(T0 + MIN, { door: 'open' }), lift(T0 + MIN + 30 * S, { door: 'open' }), lift(T0 + MIN + 40 * S, { door: 'closed' })]);
    closed.advance(R + 5 * MIN);
    expect(closed.opened('elevator.door_held_open')).toEqual([]);

    const open = reconnecting();
    const last = burst(open, R, [lift(T0 + MIN, { door: 'open' }), lift(T0 + MIN + 30 * S, { door: 'open' })]);
    open.advance(last + G - 1);
    expect(open.opened('elevator.door_held_open')).toEqual([]);
    open.advance(last + G);
    const [a] = open.opened('elevator.door_held_open');
    expect(a?.openedAt).toBe(last + G);
    expect(a?.reason).toBe('door held open at floor 5 for 9.1 min (since 00:01, reported 9 min late)');
  });

  it('states on time keep exactly the reading-time deadlines, network delay up to the grace included', () => {
    const h = new Harness();
    h.send(lift(T0, trapped), T0 + G);
    h.send(lift(T0 + 18 * S, trapped), T0 + 19 * S);
    h.advance(T0 + 20 * S - 1);
    expect(h.opened('elevator.entrapment')).toEqual([]);
    h.advance(T0 + 20 * S);
    const [a] = h.opened('elevator.entrapment');
    expect(a?.openedAt).toBe(T0 + 20 * S);
    expect(a?.reason).toBe('car stopped at floor 5 with the door closed and somebody inside for 20 s (since 00:00)');

    const d = new Harness();
    d.send(lift(T0, { door: 'open', doorZone: false }), T0 + G);
    d.advance(T0 + 60 * S);
    expect(d.opened('elevator.stopped_outside_door_zone').map((x) => x.openedAt)).toEqual([T0 + 45 * S]);
    expect(d.opened('elevator.door_held_open').map((x) => x.openedAt)).toEqual([T0 + 60 * S]);
  });

  it('an hours-old alarm button press raises nothing when the backlog shows the car free since', () => {
    const h = reconnecting();
    const at = T0 + 3 * H;
    const last = burst(h, at, [
      lift(T0 + H, trapped),
      liftEvent(T0 + H + 5 * S, 'alarm_button', 4000),
      lift(T0 + H + 12 * S, { door: 'open', occupied: true }),
      lift(T0 + H + 30 * S, { door: 'closed', occupied: false }),
    ]);
    h.advance(last + MIN);
    expect(h.opened('elevator.entrapment')).toEqual([]);
  });

  it('a late alarm button press with the car still trapped at the end of the backlog raises the entrapment, saying how late', () => {
    const h = reconnecting();
    const at = T0 + 3 * H;
    const last = burst(h, at, [lift(T0 + H, trapped), liftEvent(T0 + H + 5 * S, 'alarm_button', 4000)]);
    expect(h.opened('elevator.entrapment')).toEqual([]);
    h.advance(last + G);
    const opened = h.opened('elevator.entrapment');
    expect(opened.map((a) => [a.openedAt, a.severity])).toEqual([[last + G, 'critical']]);
    expect(opened[0]?.reason).toBe(
      'alarm button held 4.0 s at 01:00, reported 2.0 h late, with somebody in the car (floor 5); the car is still stopped with the door closed and somebody inside (01:00)',
    );
  });

  it('a late power loss opens only if the backlog still shows the power off', () => {
    const restored = reconnecting();
    const at = T0 + 3 * H;
    burst(restored, at, [liftEvent(T0 + H, 'power_lost'), lift(T0 + H + S, { power: 'battery' }), liftEvent(T0 + H + 40 * S, 'power_restored'), lift(T0 + H + 41 * S)]);
    restored.advance(at + MIN);
    expect(restored.opened('elevator.power_lost')).toEqual([]);

    const off = reconnecting();
    const last = burst(off, at, [liftEvent(T0 + H, 'power_lost'), lift(T0 + H + S, { power: 'battery' })]);
    off.advance(last + G);
    const [a] = off.opened('elevator.power_lost');
    expect(a).toMatchObject({ openedAt: last + G, severity: 'high', reason: 'power lost (event) at 01:00, reported 2 h late; still without mains power (01:00)' });
  });

  it('a car that moved with its door open, reported late and over since, is opened for inspection at high, not as critical', () => {
    const h = reconnecting();
    const at = T0 + 3 * H;
    const last = burst(h, at, [lift(T0 + H, { direction: 'up', speedMps: 1, door: 'open', doorZone: false }), lift(T0 + H + 2 * S, { direction: 'up', speedMps: 1, doorZone: false })]);
    expect(h.opened('elevator.moving_with_door_open')).toEqual([]);
    h.advance(last + G);
    const [a] = h.opened('elevator.moving_with_door_open');
    expect(a).toMatchObject({ openedAt: last + G, severity: 'high' });
    expect(a?.reason).toBe('car moving up at 1 m/s near floor 5 with the door open (01:00, reported 2 h late); over in the latest state (01:00)');
  });

  it('a terminal whose clock lags behind (every message late) still gets its critical alert within BACKLOG_MAX_MS', () => {
    const h = reconnecting();
    const start = T0 + H;
    // A state every 2 s for 3 min, each read 10 s before it arrives; the car moves with its door open throughout.
    for (let i = 0; i < 90; i++) h.send(lift(start + i * 2 * S - 10 * S, { direction: 'up', speedMps: 1, door: 'open', doorZone: false }), start + i * 2 * S);
    const [a] = h.opened('elevator.moving_with_door_open');
    expect(a?.severity).toBe('critical');
    expect(a!.openedAt - start).toBeLessThanOrEqual(BACKLOG_MAX_MS);
  });

  describe("a terminal whose clock lags: its usual lag is learned (noteClock)", () => {
    const LAG = 10 * S;
    /** Idle states every 30 s for `min` minutes from `from`, each read LAG before it arrives; returns the next receipt. */
    const steady = (h: Harness, from: number, min: number, lag = LAG): number => {
      let at = from;
      for (; at < from + min * MIN; at += 30 * S) h.send(lift(at - lag), at);
      return at;
    };
    const moving = { direction: 'up' as const, speedMps: 1, door: 'open' as const, doorZone: false };

    it('after a steady window its messages are on time: a critical alert opens at once, without "late"', () => {
      const h = new Harness();
      const at = steady(h, T0, 11);
      expect(h.core.deviceState('EL-1')?.elevator?.clock?.lagMs).toBe(LAG);
      h.send(lift(at - LAG, moving), at);
      const [a] = h.opened('elevator.moving_with_door_open');
      expect(a).toMatchObject({ openedAt: at, severity: 'critical' });
      expect(a?.reason).not.toContain('late');
      expect(h.core.deviceState('EL-1')?.elevator?.late).toBeUndefined();
    });

    it('before a window is learned, the same message waits for the backlog grace', () => {
      const h = new Harness();
      const at = steady(h, T0, 5);
      expect(h.core.deviceState('EL-1')?.elevator?.clock?.lagMs).toBe(0);
      h.send(lift(at - LAG, moving), at);
      expect(h.opened('elevator.moving_with_door_open')).toEqual([]);
      h.advance(at + G);
      expect(h.opened('elevator.moving_with_door_open').map((a) => a.openedAt)).toEqual([at + G]);
    });

    it('a backlog after a reconnect is still late by its lag beyond the usual one', () => {
      const h = new Harness();
      const at = steady(h, T0, 11);
      const back = at + 2 * H;
      const last = burst(h, back, [lift(at + MIN - LAG, moving), lift(at + MIN + 5 * S - LAG, { direction: 'stopped', speedMps: 0 })]);
      expect(h.opened('elevator.moving_with_door_open')).toEqual([]);
      h.advance(last + G);
      const [a] = h.opened('elevator.moving_with_door_open');
      expect(a).toMatchObject({ openedAt: last + G, severity: 'high' });
      expect(a?.reason).toContain(', reported 2.0 h late');
    });

    it('a backlog teaches no lag (its lags are not steady); a clock set right is taken at once', () => {
      const h = new Harness();
      h.send(lift(T0), T0);
      // Twenty states read over the last 20 min, drained in a second, then live on time.
      const back = T0 + 30 * MIN;
      burst(h, back, Array.from({ length: 20 }, (_, i) => lift(back - 20 * MIN + i * MIN)));
      steady(h, back + 10 * S, 11, 0);
      expect(h.core.deviceState('EL-1')?.elevator?.clock?.lagMs).toBe(0);

      const lagging = new Harness();
      const at = steady(lagging, T0, 11);
      expect(lagging.core.deviceState('EL-1')?.elevator?.clock?.lagMs).toBe(LAG);
      lagging.send(lift(at), at);
      expect(lagging.core.deviceState('EL-1')?.elevator?.clock?.lagMs).toBe(0);
    });
  });

  it('a late overspeed still going on when the backlog ends keeps its critical level', () => {
    const h = reconnecting();
    const at = T0 + 3 * H;
    const last = burst(h, at, [lift(T0 + H, { direction: 'down', speedMps: 2.5, doorZone: false })]);
    h.advance(last + G);
    expect(h.opened('elevator.overspeed').map((a) => [a.openedAt, a.severity])).toEqual([[last + G, 'critical']]);
  });

  it('fault events with nothing to clear them open at once, saying how late they were reported', () => {
    const h = reconnecting();
    const at = T0 + 3 * H;
    h.send(liftEvent(T0 + H, 'safety_circuit'), at);
    h.send(liftEvent(T0 + H + S, 'door_lock_fault'), at + 10);
    expect(h.opened('elevator.safety_circuit').map((a) => [a.openedAt, a.reason])).toEqual([[at, 'safety circuit broken at 01:00, reported 2 h late (floor 5)']]);
    expect(h.opened('elevator.door_lock_fault').map((a) => a.reason)).toEqual(['door lock fault at 01:00, reported 2.0 h late (floor 5)']);
  });

  it('an event uploaded again after a reconnect (no newer than the last of its name) is a replay and ignored', () => {
    const h = reconnecting();
    h.send(liftEvent(T0 + 10 * S, 'safety_circuit'), T0 + 10 * S);
    const id = h.alert('elevator.safety_circuit')!.id;
    h.record(h.core.resolve(id, 'repaired', 'chain reset', 'zhao', T0 + H));
    // The terminal re-sends its unacknowledged queue with new sequence numbers.
    h.send(liftEvent(T0 + 10 * S, 'safety_circuit'), T0 + 2 * H);
    h.advance(T0 + 2 * H + MIN);
    expect(h.opened('elevator.safety_circuit')).toHaveLength(1);
    expect(h.core.getAlert(id)).toMatchObject({ state: 'resolved', count: 1 });
  });
});
