import { AlertNotFoundError, InvalidInputError, InvalidOutcomeError, InvalidTransitionError, SafetyAlertNeedsPersonError } from '../errors';
import { fleet, H, Harness, lift, liftEvent, MIN, S, smoke, T0, water } from '../test-support/harness.test-helpers';
import type { Outcome } from '@hearthbeat/contracts';

describe('duplicates (complaint 4)', () => {
  it('two triggering messages a millisecond apart make one alert', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    h.send(smoke(T0 + 1, 'alarm'), T0 + 1);
    const alarms = h.core.alerts().filter((a) => a.rule === 'smoke.alarm');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ count: 2, lastSeenAt: T0 + 1 });
    expect(h.changes(alarms[0]!.id)).toEqual(['opened', 'updated']);
  });

  it('a QoS 1 redelivery (same seq and ts) is dropped before it counts', () => {
    const h = new Harness();
    const msg = smoke(T0, 'alarm', 7);
    h.send(msg, T0);
    expect(h.send(msg, T0 + 2)).toEqual([]);
    expect(h.send(smoke(T0, 'alarm', 7), T0 + 3)).toEqual([]);
    expect(h.core.alerts()[0]?.count).toBe(1);
  });

  it('an old event replayed long after (beyond the dedup ring) never re-fires a resolved alert', () => {
    const h = new Harness();
    const old = smoke(T0, 'alarm', 7);
    h.send(old, T0);
    const id = h.core.alerts()[0]!.id;
    h.record(h.core.resolve(id, 'false_alarm', 'cooking', 'li.bin', T0 + MIN));
    for (let i = 1; i <= 40; i++) h.send(smoke(T0 + i * S), T0 + i * S);
    h.send(old, T0 + H);
    expect(h.opened('smoke.alarm')).toHaveLength(1);
  });

  it('a condition reported at 2 Hz raises once, not per message', () => {
    const h = new Harness();
    for (let i = 0; i < 10; i++) h.send(lift(T0 + i * 500, { direction: 'up', speedMps: 1, door: 'open', doorZone: false }), T0 + i * 500);
    expect(h.core.alerts().find((a) => a.rule === 'elevator.moving_with_door_open')?.count).toBe(1);
  });
});

describe('lifecycle and named errors', () => {
  it('open -> acknowledged -> assigned -> commented -> resolved, with a timeline', () => {
    const h = new Harness();
    h.send(liftEvent(T0, 'safety_circuit'), T0);
    const id = h.core.alerts()[0]!.id;
    expect(id).toBe('AL-000001');
    h.record(h.core.acknowledge(id, 'wang', T0 + MIN));
    h.record(h.core.acknowledge(id, 'li', T0 + MIN)); // idempotent
    h.record(h.core.assign(id, 'zhao', 'wang', T0 + 2 * MIN));
    h.record(h.core.comment(id, 'on the way', 'zhao', T0 + 3 * MIN));
    h.record(h.core.resolve(id, 'repaired', 'relay replaced', 'zhao', T0 + H));
    const a = h.core.getAlert(id)!;
    expect(a).toMatchObject({ state: 'resolved', outcome: 'repaired', assignee: 'zhao', acknowledgedBy: 'wang', resolvedBy: 'zhao', resolvedAt: T0 + H });
    expect(a.timeline.map((e) => [e.n, e.by, e.action])).toEqual([
      [0, 'system', 'opened'],
      [1, 'wang', 'acknowledged'],
      [2, 'wang', 'assigned'],
      [3, 'zhao', 'commented'],
      [4, 'zhao', 'resolved'],
    ]);
    expect(Object.isFrozen(a.timeline[0])).toBe(true);
    expect(h.changes(id)).toEqual(['opened', 'acknowledged', 'assigned', 'commented', 'resolved']);
  });

  it('throws named errors and changes nothing', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    const id = h.core.alerts()[0]!.id;
    expect(() => h.core.acknowledge('AL-999', 'wang', T0)).toThrow(AlertNotFoundError);
    expect(() => h.core.resolve(id, 'auto_cleared', '', 'wang', T0)).toThrow(SafetyAlertNeedsPersonError);
    expect(() => h.core.resolve(id, 'safe', '', 'system', T0)).toThrow(SafetyAlertNeedsPersonError);
    expect(() => h.core.resolve(id, 'nonsense' as Outcome, '', 'wang', T0)).toThrow(InvalidOutcomeError);
    expect(() => h.core.comment(id, '  ', 'wang', T0)).toThrow(InvalidInputError);
    expect(h.core.getAlert(id)?.timeline).toHaveLength(1);
    h.core.resolve(id, 'false_alarm', 'burnt toast', 'wang', T0 + MIN);
    expect(() => h.core.acknowledge(id, 'wang', T0)).toThrow(InvalidTransitionError);
    expect(() => h.core.resolve(id, 'safe', '', 'wang', T0)).toThrow(InvalidTransitionError);
    const err = (() => {
      try {
        h.core.assign(id, 'x', 'wang', T0);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'invalid_transition', httpStatus: 409, name: 'InvalidTransitionError' });
  });

  it('safety alerts refuse auto-resolution: the condition clearing only adds evidence', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    h.send(smoke(T0 + MIN, 'alarm_cleared'), T0 + MIN);
    h.advance(T0 + 24 * H);
    const a = h.core.alerts().find((x) => x.rule === 'smoke.alarm')!;
    expect(a.state).toBe('open');
    expect(a.timeline.find((e) => e.action === 'condition_cleared')).toMatchObject({ details: { resolvesBy: 'person' } });
  });

  it('device alerts resolve themselves (auto_cleared) once the condition stayed clear for cooldownS', () => {
    const h = new Harness();
    h.send(water(T0, 100), T0);
    h.advance(T0 + H);
    const a = h.opened('water.meter_offline')[0]!;
    h.send(water(T0 + H, 100), T0 + H);
    expect(h.core.getAlert(a.id)).toMatchObject({ state: 'open', autoClearAt: T0 + H + 15 * MIN });
    h.advance(T0 + H + 15 * MIN);
    expect(h.core.getAlert(a.id)).toMatchObject({ state: 'resolved', outcome: 'auto_cleared', resolvedBy: 'system' });
  });

  it('cooldown: a flapping meter makes one alert, not a flood', () => {
    const h = new Harness(fleet({ residentRules: { 'water.meter_offline': { afterS: 600, cooldownS: 900 } } }));
    let t = T0;
    h.send(water(t, 100), t);
    for (let i = 0; i < 5; i++) {
      t += 12 * MIN; // silent 12 min: offline after 10
      h.send(water(t, 100), t); // back: hold-off of 15 min starts
    }
    for (let k = 0; k < 6; k++) h.send(water(t + (k + 1) * 5 * MIN, 100), t + (k + 1) * 5 * MIN);
    h.advance(t + 39 * MIN);
    const offline = h.opened('water.meter_offline');
    expect(offline).toHaveLength(1);
    const a = h.core.getAlert(offline[0]!.id)!;
    expect(a).toMatchObject({ count: 5, state: 'resolved', outcome: 'auto_cleared' });
    expect(h.changes(a.id).filter((c) => c === 'opened' || c === 'resolved')).toEqual(['opened', 'resolved']);
  });

  it('cooldown: a re-trigger soon after a person resolved re-opens the same alert; later ones open a new one', () => {
    const h = new Harness();
    const burst = (t0: number) => {
      h.send(lift(t0), t0);
      for (let i = 0; i < 5; i++) {
        h.send(lift(t0 + i * 10 * S + 1, { door: 'open' }), t0 + i * 10 * S + 1);
        h.send(lift(t0 + i * 10 * S + 5 * S, { door: 'closed' }), t0 + i * 10 * S + 5 * S);
      }
    };
    burst(T0);
    const id = h.opened('elevator.door_cycling')[0]!.id;
    h.record(h.core.resolve(id, 'no_fault_found', '', 'zhao', T0 + 2 * MIN));
    burst(T0 + 4 * MIN); // within cooldownS (300 s) of the resolution
    expect(h.core.getAlert(id)).toMatchObject({ state: 'open', count: 2 });
    expect(h.changes(id)).toContain('reopened');
    h.record(h.core.resolve(id, 'no_fault_found', '', 'zhao', T0 + 6 * MIN));
    burst(T0 + 20 * MIN);
    expect(h.opened('elevator.door_cycling')).toHaveLength(2);
  });
});

describe('escalation and reminders (complaint 6)', () => {
  it('critical: reminders every 2 min, tiers at 5 and 15 min, all by deadline; acknowledging stops them', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    // As the live engine does: time moves on minute by minute (its timer rings at each deadline).
    for (let m = 1; m <= 16; m++) h.advance(T0 + m * MIN);
    const id = h.core.alerts()[0]!.id;
    const steps = h.events.flatMap((e) => (e.type === 'alert' && e.alert.id === id && (e.change === 'escalated' || e.change === 'reminder') ? [[e.change, (e.at - T0) / MIN, e.target]] : []));
    expect(steps).toEqual([
      ['reminder', 2, 'staff'],
      ['reminder', 4, 'staff'],
      ['escalated', 5, 'supervisor'],
      ['reminder', 6, 'supervisor'],
      ['reminder', 8, 'supervisor'],
      ['reminder', 10, 'supervisor'],
      ['reminder', 12, 'supervisor'],
      ['reminder', 14, 'supervisor'],
      ['escalated', 15, 'admin'],
      ['reminder', 16, 'admin'],
    ]);
    expect(h.core.getAlert(id)?.escalationLevel).toBe(2);
    h.record(h.core.acknowledge(id, 'wang', T0 + 17 * MIN));
    const before = h.events.length;
    h.advance(T0 + 5 * H);
    expect(h.events.slice(before).filter((e) => e.type === 'alert' && (e.change === 'escalated' || e.change === 'reminder'))).toEqual([]);
    expect(h.core.getAlert(id)?.nextReminderAt).toBeUndefined();
  });

  it('after a gap in time (a host suspended, a clock set forward) the missed reminders are one, not a storm', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    const id = h.core.alerts()[0]!.id;
    // The engine could not run for 31 days: one advance over all of it.
    h.advance(T0 + 31 * 24 * H);
    const steps = h.events.flatMap((e) => (e.type === 'alert' && e.alert.id === id && (e.change === 'escalated' || e.change === 'reminder') ? [[e.change, (e.at - T0) / MIN]] : []));
    // Both tiers, each at its own time; one reminder for the 22,000 intervals missed.
    expect(steps).toEqual([
      ['reminder', 2],
      ['escalated', 5],
      ['escalated', 15],
    ]);
    expect(h.core.getAlert(id)?.timeline.filter((e) => e.action === 'reminder')).toHaveLength(1);
    // Then every 2 min again from the next boundary after the gap.
    const next = h.core.getAlert(id)?.nextReminderAt as number;
    expect(next).toBeGreaterThan(T0 + 31 * 24 * H);
    expect(next - (T0 + 31 * 24 * H)).toBeLessThanOrEqual(2 * MIN);
    h.advance(next);
    expect(h.events.filter((e) => e.type === 'alert' && e.alert.id === id && e.change === 'reminder').map((e) => e.at)).toEqual([T0 + 2 * MIN, next]);
  });

  it('high: escalates after 15 min; a site may set its own tiers and reminders', () => {
    const h = new Harness(fleet({ escalation: { high: { tiers: [{ afterS: 60, target: 'duty-phone' }], reminderEveryS: 0 } } }));
    h.send(liftEvent(T0, 'door_lock_fault'), T0);
    h.advance(T0 + 30 * MIN);
    const esc = h.events.filter((e) => e.type === 'alert' && (e.change === 'escalated' || e.change === 'reminder'));
    expect(esc.map((e) => [e.at - T0, e.type === 'alert' && e.target])).toEqual([[MIN, 'duty-phone']]);
    const h2 = new Harness();
    h2.send(liftEvent(T0, 'door_lock_fault'), T0);
    h2.advance(T0 + 15 * MIN - 1);
    expect(h2.events.some((e) => e.type === 'alert' && e.change === 'escalated')).toBe(false);
    h2.advance(T0 + 15 * MIN);
    expect(h2.events.some((e) => e.type === 'alert' && e.change === 'escalated' && e.target === 'supervisor')).toBe(true);
  });

  it('a cleared device condition stops escalation while it waits to resolve', () => {
    const h = new Harness(fleet({ escalation: { medium: { tiers: [{ afterS: 1800, target: 'supervisor' }] } } }));
    h.send(water(T0, 100), T0);
    h.advance(T0 + 30 * MIN);
    const id = h.opened('water.meter_offline')[0]!.id;
    h.send(water(T0 + 50 * MIN, 100), T0 + 50 * MIN);
    h.advance(T0 + 2 * H);
    expect(h.changes(id)).toEqual(['opened', 'updated', 'resolved']);
  });
});
