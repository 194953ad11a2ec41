import { fleet, H, Harness, MIN } from '../../../test-support/harness.test-helpers';
import { RulesCore } from '../../../core/rules-core';
import type { CoreSnapshot } from '../../../core/persistence';
import { at, DAY, Household, QUICK, registry, shifted, until } from './routine.test-helpers';

const RULE = 'water.routine_deviation';
// T0 is Friday 2025-11-21 in Shanghai: days 0 Fri, 1 Sat, 2 Sun, 3 Mon, 4 Tue, 5 Wed, 6 Thu.
const opened = (h: Harness) => h.opened(RULE);

/** Rising at 06:45 / 07:00 / 07:15 in turn, so that the learned window is a range. */
function learnWeek(home: Household, days = 5): void {
  for (let d = 0; d < days; d++) home.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
}

describe('water.routine_deviation: learning, then alerting by deadline', () => {
  it('stays quiet while learning, then raises a silent morning at the latest usual rising + 60 min', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 4);
    home.day(4, []); // four learned days are not enough: a silent day raises nothing
    expect(opened(h)).toHaveLength(0);
    const h2 = new Harness(registry());
    const home2 = new Household(h2);
    learnWeek(home2, 5);
    home2.day(5, [], '00:00', '10:00');
    const [a] = opened(h2);
    // Learned 06:45-07:00 on weekdays (Fri 06:45, Mon 06:45, Tue 07:00); due 08:00: the 08:00 reading
    // (received 2 s later) shows no use.
    expect(a).toMatchObject({ openedAt: at(5, '08:00') + 2000, severity: 'high', subject: { type: 'resident', id: 'R-1' }, deviceId: 'WM-1' });
    expect(a?.reason).toBe('first water use usually 06:45-07:00 (learned from 3 weekdays); now 08:00 and none yet (last use 2025-11-25 21:45)');
    expect(opened(h2)).toHaveLength(1);
  });

  it('fires by deadline with no further message when the meter stays silent (but not yet offline)', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 5);
    home.day(5, [], '00:00', '08:00'); // the last reading is 07:45; nothing after it
    h.advance(at(6, '00:00'));
    // Due 08:00, but the next report (07:45 + 15 min + 3.75 min slack) might still show a use: 08:03:45.
    expect(opened(h).map((a) => a.openedAt)).toEqual([at(5, '08:03') + 45_000]);
  });

  it('a lone night-time flush before the usual rising is not getting up', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 5);
    home.day(5, [['06:15', 6]], '00:00', '09:00');
    expect(opened(h)[0]?.reason).toMatch(/^first water use usually 06:45-07:00 .* now 08:00 and none yet \(last use 06:15\)$/);
  });

  it('raises a long quiet spell during the day (longest usual wait from that time + 45 min)', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 5);
    home.day(5, until(DAY, '12:15'), '00:00', '18:00');
    const [a] = opened(h);
    // From 12:00 a plain day's next use came at 14:00 (the 12:00-14:00 spell); due 12:00 + 2 h 45 min.
    expect(a?.openedAt).toBe(at(5, '14:45') + 2000);
    expect(a?.reason).toBe('no water used since 12:00 (2.8 h); from 12:00 the next use usually came within 2 h (the longest on 5 learned days)');
  });

  it('clockQuiet: a silence from 16:00 is judged by the waits from around 16:00, not by the lunch-to-dinner lull', () => {
    // Learned days: nothing between lunch (12:00) and 16:00, then dinner at 17:30.
    const days = DAY.filter(([t]) => t !== '14:00');
    const run = (clockQuiet: boolean) => {
      const h = new Harness(registry({ residentRules: { ...QUICK.residentRules, 'water.routine_deviation': { ...QUICK.residentRules?.['water.routine_deviation'], clockQuiet } } }));
      const home = new Household(h);
      home.days(0, 5, days);
      home.day(5, until(DAY, '16:15')); // a use at 16:00, then silence (a fall)
      return opened(h);
    };
    const [a] = run(true);
    // Spells starting within the hour around 16:00 lasted at most 1.5 h (16:00-17:30): due 16:00 + 1.5 h + 45 min.
    expect(a?.openedAt).toBe(at(5, '18:15') + 2000);
    expect(a?.reason).toBe('no water used since 16:00 (2.3 h); from 16:00 the next use usually came within 1.5 h (the longest on 5 learned days)');
    // By part of the day only, the afternoon's longest spell (12:00-16:00, 4 h) sets the limit: 2.5 h later.
    const [b] = run(false);
    expect(b?.openedAt).toBe(at(5, '20:45') + 2000);
    expect(b?.reason).toBe('no water used since 16:00 (4.8 h); usual quiet spells starting in the afternoon: up to 4 h (last 5 days)');
  });

  it('a lone bedtime use after a quiet evening is learned as bedtime, so a later silent evening still alerts', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 5);
    // Wednesday: nothing after dinner until a single bedtime reading at 21:45 (3 h 45 min later).
    home.day(5, DAY.filter(([t]) => t !== '20:00' && t !== '21:30'));
    expect(opened(h).map((a) => a.openedAt)).toEqual([at(5, '20:45') + 2000]);
    h.record(h.core.resolve(opened(h)[0]?.id as string, 'safe', 'fine, listening to the radio', 'wang', at(5, '22:00')));
    // Thursday: silent from 18:00 (a fall after dinner).
    home.day(6, until(DAY, '18:15'));
    const st = h.core.snapshot().subjects.find((s) => s.id === 'R-1')?.routine;
    // Wednesday's bedtime is 21:45 (within the usual window), not 18:00: a use at 18:00 is not going to bed.
    expect(st?.history.find((d) => d.date === at(5, '00:00'))?.last).toBe(21 * 60 + 45);
    expect(opened(h).map((a) => a.openedAt)).toEqual([at(5, '20:45') + 2000, at(6, '20:45') + 2000]);
  });

  it('raises missing bedtime uses when the evening went silent early', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 5);
    home.day(5, until(DAY, '20:15'));
    const [a] = opened(h);
    expect(a?.openedAt).toBe(at(5, '22:15') + 2000);
    expect(a?.reason).toBe('last water use before bed usually 21:45-21:45 (learned from 3 weekdays); none since 20:00 (2.3 h)');
  });

  it('learns weekdays and weekends apart (site time zone)', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    const weekend = (d: number) => d % 7 === 1 || d % 7 === 2;
    for (let d = 0; d < 10; d++) home.day(d, weekend(d) ? shifted(DAY, 120, '00:00', '08:00') : DAY);
    // Monday (day 10): up at 09:00 like a weekend -> late for a weekday.
    home.day(10, shifted(DAY, 120, '00:00', '08:00'));
    expect(opened(h).map((a) => a.openedAt)).toEqual([at(10, '08:00') + 2000]);
    // Saturday (day 15): up at 09:00 -> usual.
    for (let d = 11; d < 15; d++) home.day(d, DAY);
    home.day(15, shifted(DAY, 120, '00:00', '08:00'));
    expect(opened(h)).toHaveLength(1);
    expect(opened(h)[0]?.reason).toBe('first water use usually 07:00-07:00 (learned from 6 weekdays); now 08:00 and none yet (last use 2025-11-30 21:45)');
  });

  it('never fires during an announced absence, and absent days are not learned from', () => {
    const away = [{ from: at(5, '06:00'), to: at(5, '20:00'), note: 'staying with daughter' }];
    const h = new Harness(registry({ ...QUICK, away }));
    const home = new Household(h);
    learnWeek(home, 5);
    home.day(5, [['20:15', 3], ['20:30', 6], ['21:30', 3], ['21:45', 6]]);
    expect(opened(h)).toHaveLength(0);
    const st = h.core.snapshot().subjects.find((s) => s.id === 'R-1')?.routine;
    expect(st?.history.map((d) => d.date)).not.toContain(at(5, '00:00'));
  });

  it('never fires while the meter is offline (water.meter_offline instead)', () => {
    const h = new Harness(registry());
    const home = new Household(h);
    learnWeek(home, 5);
    home.day(5, [], '00:00', '06:00');
    h.advance(at(5, '12:00'));
    expect(opened(h)).toHaveLength(0);
    expect(h.opened('water.meter_offline').map((a) => a.openedAt)).toEqual([at(5, '05:45') + 2000 + 30 * MIN]);
  });

  it('markNormal: quiet for the rest of that day, and the late rising is learned', () => {
    const late = shifted(DAY, 150, '00:00', '08:00'); // up at 09:30
    const run = (mark: boolean) => {
      const h = new Harness(registry());
      const home = new Household(h);
      learnWeek(home, 5);
      home.day(5, late, '00:00', '09:00');
      const id = opened(h)[0]?.id as string;
      // Staff find the resident fine; either it was normal for them, or just "safe" this time.
      if (mark) h.record(h.core.markNormal(id, 'slept in after a late TV night', 'wang', at(5, '09:00')));
      else h.record(h.core.resolve(id, 'safe', 'overslept', 'wang', at(5, '09:00')));
      home.day(5, until(late, '12:15'), '09:00', '24:00'); // and a long quiet afternoon too
      home.day(6, late); // Thursday: late again
      return h;
    };
    const marked = run(true);
    expect(marked.events.some((e) => e.type === 'marked_normal' && e.rule === RULE)).toBe(true);
    expect(opened(marked).map((a) => a.openedAt)).toEqual([at(5, '08:00') + 2000]);
    // Without the mark: the quiet afternoon and Thursday's late morning both alert (day 5 taught nothing about rising).
    const unmarked = run(false);
    expect(opened(unmarked).map((a) => a.openedAt)).toEqual([at(5, '08:00') + 2000, at(5, '14:45') + 2000]);
    // (the afternoon's alert is still open: Thursday's morning adds to it)
    const open = unmarked.core.alerts({ state: 'open' }).find((a) => a.rule === RULE);
    expect(open).toMatchObject({ count: 2, lastSeenAt: at(6, '08:00') + 2000 });
    expect(open?.reason).toMatch(/^first water use usually 06:45-07:00 .* now 08:00 and none yet/);
  });

  it('survives a restart: state persisted as JSON, same alerts as an uninterrupted core', () => {
    const straight = new Harness(registry());
    const homeA = new Household(straight);
    learnWeek(homeA, 5);
    homeA.day(5, [], '00:00', '10:00');

    const before = new Harness(registry());
    const homeB = new Household(before);
    learnWeek(homeB, 4);
    homeB.day(4, DAY, '00:00', '12:00');
    const snap = JSON.parse(JSON.stringify(before.core.snapshot())) as CoreSnapshot;
    expect(snap.subjects.find((s) => s.id === 'R-1')?.routine?.history).toHaveLength(4);
    const after = new Harness(registry());
    after.core = RulesCore.restore(snap, { registry: registry() });
    after.record(after.core.resumeAfterRestart(at(4, '12:00'), 0));
    const homeC = new Household(after);
    homeC.total = homeB.total;
    homeC.day(4, shifted(DAY, 15, '00:00', '08:00'), '12:00', '24:00');
    homeC.day(5, [], '00:00', '10:00');
    expect(opened(after).map((a) => [a.openedAt, a.reason])).toEqual(opened(straight).map((a) => [a.openedAt, a.reason]));
    const routineOf = (core: RulesCore) => core.snapshot().subjects.find((s) => s.id === 'R-1')?.routine;
    expect(routineOf(after.core)).toEqual(routineOf(straight.core));
  });

  it('cold start: water.no_activity uses the Shanghai 12 h window until the routine is learned, then 24 h', () => {
    const h = new Harness(fleet({ residentRules: { 'water.routine_deviation': { warmupDays: 5, minDaysPerType: 3 } } }));
    const home = new Household(h);
    home.day(0, DAY);
    // The last 10 L of the day are reached at 20:00 (6 + 3 + 6 L after it): the window runs from there.
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(at(0, '20:00') + 12 * H);
    for (let d = 1; d < 6; d++) home.day(d, DAY);
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(at(5, '20:00') + 24 * H);
    expect(h.opened('water.no_activity')).toHaveLength(0);
  });
});
