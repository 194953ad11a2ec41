import { fleet, Harness } from '../../../test-support/harness.test-helpers';
import { at, DAY, Household, registry, shifted, until } from './routine.test-helpers';

// T0 is Friday 2025-11-21 in Shanghai: days 0 Fri, 1 Sat, 2 Sun, 3 Mon, 4 Tue, 5 Wed.
describe('RulesCore.routineOf: the learned routine as staff read it', () => {
  it('says "learning" with the days learned so far, and nothing expected yet', () => {
    const h = new Harness(registry());
    new Household(h).day(0, DAY);
    new Household(h).day(1, DAY);
    const r = h.core.routineOf('R-1');
    expect(r).toMatchObject({ enabled: true, status: 'learning', warmupDays: 5, weekday: null, weekend: null, expecting: null });
    expect(r.learnedDays).toBeLessThan(5);
    expect(r.profile).toHaveLength(96);
  });

  it('gives the usual first and last uses, quiet spells, the next deadline and the day profile once learned', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    for (let d = 0; d < 5; d++) home.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
    home.day(5, [], '00:00', '06:00');
    const r = h.core.routineOf('R-1');
    expect(r.status).toBe('learned');
    expect(r.learnedDays).toBe(5);
    // Fri, Mon and Tue are three weekdays: enough (minDaysPerType 3) to learn weekdays on their own.
    expect(r.weekday).toMatchObject({ firstUse: { from: '06:45', to: '07:00' }, lastUse: { from: '21:45', to: '21:45' }, sameDayType: true, days: 3 });
    expect(r.weekday?.longestQuietMin).toBe(120);
    expect(r.weekday?.longestQuietByPart.afternoon).toBe(120);
    // Wednesday morning, none yet: the rising is due at 07:00 + 60 min.
    expect(r.expecting).toEqual({ kind: 'morning', due: at(5, '08:00'), since: at(4, '21:45') });
    // The profile counts uses per quarter hour: none at 03:00 (slot 12), some around 07:00 (slots 27-28).
    expect(r.profile[12]).toBe(0);
    expect((r.profile[27] ?? 0) + (r.profile[28] ?? 0)).toBeGreaterThan(0);
    expect(r.profile.reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    expect(r.missedCalls).toBe(0);
  });

  it('says when the resident will be rung first, until the call is placed', () => {
    const reg = registry();
    reg.sites[0]!.checkInCall = { enabled: true, timeoutS: 120, rules: ['water.routine_deviation'] };
    reg.residents[0]!.callable = { resident: true, family: false };
    const h = new Harness(reg);
    const home = new Household(h);
    for (let d = 0; d < 5; d++) home.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
    // Wednesday, silent after the 12:00 use: from 12:00 the usual wait is 2 h, the limit 14:45 and the
    // call at 0.8 x 2 h (the default callFactor) = 13:36.
    home.day(5, until(DAY, '12:15'), '00:00', '13:30');
    expect(h.core.routineOf('R-1').expecting).toEqual({ kind: 'quiet', due: at(5, '14:45'), since: at(5, '12:00'), callAt: at(5, '13:36') });
    // Rung with the 13:45 reading: the call is no longer ahead.
    home.day(5, [], '13:30', '14:00');
    expect(h.events.some((e) => e.type === 'check_call' && e.change === 'placed')).toBe(true);
    expect(h.core.routineOf('R-1').expecting).toEqual({ kind: 'quiet', due: at(5, '14:45'), since: at(5, '12:00') });
    // A resident who cannot be rung first: no call is announced.
    const plain = new Harness(registry());
    const quiet = new Household(plain);
    for (let d = 0; d < 5; d++) quiet.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
    quiet.day(5, until(DAY, '12:15'), '00:00', '13:30');
    expect(plain.core.routineOf('R-1').expecting).toEqual({ kind: 'quiet', due: at(5, '14:45'), since: at(5, '12:00') });
  });

  it('says "off" when the rule is disabled for the resident, and throws for an unknown resident', () => {
    const h = new Harness(fleet({ residentRules: { 'water.routine_deviation': { enabled: false } } }));
    expect(h.core.routineOf('R-1')).toMatchObject({ enabled: false, status: 'off', expecting: null });
    expect(() => h.core.routineOf('R-404')).toThrow(/R-404/);
  });
});
