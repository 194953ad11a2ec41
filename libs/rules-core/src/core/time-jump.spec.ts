import type { CoreRegistry } from '../registry/core-registry.types';
import { at, DAY, Household, QUICK, registry } from '../rules/water/routine/routine.test-helpers';
import type { CheckCallEvent, CoreEvent } from './core-events';
import { H, Harness, MIN, T0, fleet, lift, smoke, water, waterEvent } from '../test-support/harness.test-helpers';

/**
 * The engine's clock can jump: a host suspended for a day, a process stopped for weeks and restarted, a
 * backtest with a gap in its log. One advance over the gap must fire each deadline once, not once per
 * period missed (an unacknowledged alarm's 2-min reminders over 31 days were 22,000 events, each
 * carrying the alert's growing timeline).
 */
const DAY_MS = 24 * H;

describe('a jump in time', () => {

  function busyFleet(): Harness {
    const h = new Harness(fleet());
    // Every device reporting, then something wrong on each: a smoke alarm, a leak, a tap running, a
    // passenger stuck between floors, nobody acknowledging anything.
    let total = 100;
    for (let t = T0; t <= T0 + 2 * H; t += 15 * MIN) h.send(water(t, (total += 3), { flowLpm: 0 }), t);
    h.send(smoke(T0 + 10 * MIN), T0 + 10 * MIN);
    h.send(lift(T0 + 10 * MIN), T0 + 10 * MIN);
    const t1 = T0 + 2 * H + 1 * MIN;
    h.send(smoke(t1, 'alarm'), t1);
    h.send(waterEvent(t1, 'leak'), t1);
    h.send(lift(t1, { floor: 7, doorZone: false, occupied: true, direction: 'stopped' }), t1);
    // The tap runs for the next hour and a half.
    for (let t = t1 + 15 * MIN; t <= t1 + 90 * MIN; t += 15 * MIN) h.send(water(t, (total += 120), { flowLpm: 8 }), t);
    return h;
  }

  function perAlert(events: readonly CoreEvent[]): Map<string, number> {
    const n = new Map<string, number>();
    for (const e of events) if (e.type === 'alert') n.set(`${e.alert.rule} ${e.change}`, (n.get(`${e.alert.rule} ${e.change}`) ?? 0) + 1);
    return n;
  }

  it('31 days with every device silent and every alert unacknowledged: each deadline fires once', () => {
    const h = busyFleet();
    const open = h.core.alerts().filter((a) => a.state !== 'resolved');
    expect(open.map((a) => a.rule).sort()).toEqual(expect.arrayContaining(['elevator.entrapment', 'smoke.alarm', 'water.leak']));
    const from = h.events.length;
    const end = T0 + 31 * DAY_MS;
    h.advance(end);
    const after = h.events.slice(from);
    const counts = perAlert(after);
    // Nothing repeats per period missed: at most the few escalation tiers, one reminder and one of each
    // other change per alert.
    for (const [key, n] of counts) {
      const limit = key.endsWith(' escalated') ? 3 : 1;
      if (n > limit) throw new Error(`${key}: ${n} times over the gap`);
    }
    expect(after.length).toBeLessThan(80);
    // And the devices did go offline (once each) and the silences were noticed.
    // The meter went offline once; the detector's silence during its alarm updated the alarm (once).
    expect(counts.get('water.meter_offline opened')).toBe(1);
    expect(counts.get('smoke.alarm updated')).toBe(1);
    // The lift had already gone offline before the gap; 72 h without a test call is noticed once.
    expect(counts.get('elevator.test_call_missing opened')).toBe(1);
    expect(h.core.alerts().filter((a) => a.rule === 'elevator.offline' && a.state !== 'resolved')).toHaveLength(1);
    // Afterwards the core keeps its ordinary pace: the next hour brings at most a reminder per alert
    // (every 2 min for the critical ones is 30 each), nothing from the past.
    const mark = h.events.length;
    h.advance(end + H);
    const hour = h.events.slice(mark);
    for (const e of hour) expect(e.at ?? end).toBeGreaterThanOrEqual(end);
    const open2 = h.core.alerts().filter((a) => a.state !== 'resolved').length;
    expect(hour.length).toBeLessThanOrEqual(open2 * 31);
  });

  /** QUICK's learned routine, the site's check-in call step on, two attempts, ringing again at the limit. */
  function calling(): CoreRegistry {
    const reg = registry({
      residentRules: {
        ...QUICK.residentRules,
        'water.routine_deviation': { ...QUICK.residentRules?.['water.routine_deviation'], callAttempts: 2, callRetryMinutes: 30, callAgainAtLimit: true },
      },
    });
    reg.sites[0]!.checkInCall = { enabled: true, timeoutS: 120, rules: ['water.routine_deviation'] };
    reg.residents[0]!.callable = { resident: true, family: false };
    return reg;
  }

  it('a check-in call under way when the clock jumps: rung at most the set number of times, nothing repeated', () => {
    const h = new Harness(calling());
    const home = new Household(h);
    home.days(0, 6);
    // Day 6: up and about until noon, then the meter reports no use until the first check-in call goes
    // out; nobody answers, and the engine stops for 31 days (the meter's later reports never reach it).
    home.day(6, DAY.filter(([t]) => t <= '12:00'), '00:00', '12:15');
    let t = at(6, '12:15');
    const placed = (): CheckCallEvent[] => h.events.filter((e): e is CheckCallEvent => e.type === 'check_call' && e.change === 'placed');
    const earlier = placed().length;
    while (placed().length === earlier && t < at(6, '18:00')) {
      home.day(6, [], clockOf(t), clockOf(t + 15 * MIN));
      t += 15 * MIN;
    }
    expect(placed().length).toBe(earlier + 1);
    const from = h.events.length;
    h.advance(t + 31 * DAY_MS);
    const after = h.events.slice(from);
    // The call timed out once; its retry and the alert wait for a meter that reports, and the meter's
    // silence is what the gap shows (offline, once): never once per period of the gap.
    expect(placed().length).toBeLessThanOrEqual(earlier + 2);
    const counts = perAlert(after);
    for (const [key, n] of counts) if (n > (key.endsWith(' escalated') ? 3 : 1)) throw new Error(`${key}: ${n} times over the gap`);
    expect((counts.get('water.routine_deviation opened') ?? 0) + (counts.get('water.meter_offline opened') ?? 0)).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeLessThan(40);
  });
});

const clockOf = (t: number): string => {
  const m = Math.round(((t - T0) % DAY_MS) / MIN);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
