import type { Outcome } from '@hearthbeat/contracts';
import type { CheckCallEvent } from '../../../core/core-events';
import type { CoreSnapshot } from '../../../core/persistence';
import { RulesCore } from '../../../core/rules-core';
import { CallAlreadyAnsweredError, CallNotFoundError } from '../../../errors';
import type { CoreRegistry } from '../../../registry/core-registry.types';
import { Harness, S } from '../../../test-support/harness.test-helpers';
import { at, DAY, Household, QUICK, registry, shifted, until } from './routine.test-helpers';

const RULE = 'water.routine_deviation';

/**
 * QUICK's fleet with the site's check-in call step on for the routine rule, and a resident with a phone
 * (callFactor 0.9; one attempt, no doubt and no call again at the limit unless asked).
 */
function calling(o: { phone?: boolean; callFactor?: number; timeoutS?: number; attempts?: number; doubtAfter?: number; doubtWindow?: number; againAtLimit?: boolean; maxMinutes?: number } = {}): CoreRegistry {
  const reg = registry({
    residentRules: {
      ...QUICK.residentRules,
      [RULE]: {
        ...QUICK.residentRules?.[RULE],
        callAttempts: o.attempts ?? 1,
        callRetryMinutes: 20,
        callFactor: o.callFactor ?? 0.9,
        callDoubtAfter: o.doubtAfter ?? 0,
        callDoubtWindowMinutes: o.doubtWindow ?? 0,
        callAgainAtLimit: o.againAtLimit ?? false,
        callMaxMinutes: o.maxMinutes ?? 0,
      },
    },
  });
  reg.sites[0]!.checkInCall = { enabled: true, timeoutS: o.timeoutS ?? 120, rules: [RULE] };
  reg.residents[0]!.callable = { resident: o.phone ?? true, family: false };
  return reg;
}

const calls = (h: Harness): CheckCallEvent[] => h.events.filter((e): e is CheckCallEvent => e.type === 'check_call');

/** Five plain days learned (rising 06:45-07:15), then day 5 silent after the 12:00 use (a fall). */
function fallAfterNoon(reg: CoreRegistry, upTo = '14:00'): { h: Harness; home: Household } {
  const h = new Harness(reg);
  const home = new Household(h);
  for (let d = 0; d < 5; d++) home.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
  home.day(5, until(DAY, '12:15'), '00:00', upTo);
  // The 14:00 reading would carry the usual use; here it shows none.
  home.day(5, [], upTo, '14:15');
  return { h, home };
}

// From 12:00 the next use usually came within 2 h (the 12:00-14:00 lull): the alert limit is 2 h + 45 min
// (14:45, see routine-deviation.spec.ts); the call goes at 0.9 x 2 h = 13:48, i.e. with the first reading
// after it (14:00, received 2 s later).
const CALLED = at(5, '14:00') + 2000;

describe('water.routine_deviation: a check-in call before the alert (callFactor)', () => {
  it('rings the resident at 0.9 x the usual wait; no answer by the timeout raises the alert then, without ringing again', () => {
    const { h } = fallAfterNoon(calling());
    expect(calls(h)).toEqual([
      expect.objectContaining({ change: 'placed', at: CALLED, callId: 'RC-R-1-1', subject: { type: 'resident', id: 'R-1' }, site: 'site-1', rule: RULE, placedAt: CALLED, timeoutAt: CALLED + 120 * S }),
    ]);
    expect(calls(h)[0]?.reason).toBe('no water used since 12:00 (2.0 h); from 12:00 the next use usually came within 2 h: checking on the resident before raising an alert');
    expect(h.opened(RULE)).toHaveLength(0);
    expect(h.core.callAwaited('RC-R-1-1')).toBe(true);

    h.advance(CALLED + 119 * S);
    expect(h.opened(RULE)).toHaveLength(0);
    h.advance(CALLED + 120 * S);
    const [a] = h.opened(RULE);
    expect(a?.openedAt).toBe(CALLED + 120 * S);
    expect(a?.reason).toBe(
      'no water used since 12:00 (2.0 h); from 12:00 the next use usually came within 2 h (the longest on 5 learned days); check-in call at 14:00 not answered (no result in time)',
    );
    expect(a?.timeline[0]?.details).toMatchObject({ kind: 'quiet', callId: 'RC-R-1-1', callResult: 'no_answer' });
    // The site's alert-level call step does not ring a resident who just did not answer.
    expect(a?.calls).toBeUndefined();
    expect(h.changes(a!.id)).toEqual(['opened']);
    expect(calls(h).map((c) => [c.change, c.result, c.timedOut])).toEqual([
      ['placed', undefined, undefined],
      ['result', 'no_answer', true],
    ]);
    expect(h.core.callAwaited('RC-R-1-1')).toBe(false);
    // 45 min before the limit without the call (14:45).
    expect(a!.openedAt).toBeLessThan(at(5, '14:45'));
  });

  it('answered well: no alert; the quiet spell restarts from the answer and the next call follows from there', () => {
    const { h, home } = fallAfterNoon(calling());
    h.record(h.core.callResult('RC-R-1-1', 'answered_well', CALLED + 30 * S));
    expect(calls(h).at(-1)).toMatchObject({ change: 'result', result: 'answered_well', at: CALLED + 30 * S });
    // Silent until the evening: from 14:00 the usual wait is 2 h (14:00-16:00): the next call at 14:00:32
    // + 108 min = 15:48:32, with the 16:00 reading.
    home.day(5, [], '14:15', '16:15');
    expect(h.opened(RULE)).toHaveLength(0);
    const second = calls(h).filter((c) => c.change === 'placed')[1];
    expect(second).toMatchObject({ callId: 'RC-R-1-2', at: at(5, '16:00') + 2000 });
    expect(second?.reason).toContain('answered a check-in call at 14:00');
    h.record(h.core.callResult('RC-R-1-2', 'no_answer', at(5, '16:01')));
    const [a] = h.opened(RULE);
    expect(a?.openedAt).toBe(at(5, '16:01'));
    expect(a?.reason).toMatch(/^no water used since 12:00 \(4\.0 h\); answered a check-in call at 14:00; from 14:00 .*; check-in call at 16:00 not answered$/);
  });

  it('callAgainAtLimit: after an answer, the silence since the last use rings again at its own usual limit', () => {
    const { h, home } = fallAfterNoon(calling({ againAtLimit: true }));
    h.record(h.core.callResult('RC-R-1-1', 'answered_well', CALLED + 30 * S));
    // Fine at 14:00, still no water: from 12:00 the limit is 14:45 (2 h + 45 min), sooner than 0.9 x the
    // usual wait from the answer (15:48): ring again with the 14:45 reading.
    home.day(5, [], '14:15', '15:00');
    const second = calls(h).filter((c) => c.change === 'placed')[1];
    expect(second).toMatchObject({ callId: 'RC-R-1-2', at: at(5, '14:45') + 2000 });
    expect(second?.reason).toBe(
      'no water used since 12:00 (2.8 h); from 12:00 the next use usually came within 2 h (limit 14:45 passed); answered a check-in call at 14:00 before it: checking on the resident before raising an alert',
    );
    expect(h.opened(RULE)).toHaveLength(0);
    h.record(h.core.callResult('RC-R-1-2', 'no_answer', at(5, '14:46')));
    const [a] = h.opened(RULE);
    expect(a?.openedAt).toBe(at(5, '14:46'));
    expect(a?.reason).toBe(
      'no water used since 12:00 (2.8 h); from 12:00 the next use usually came within 2 h (limit 14:45 passed); answered a check-in call at 14:00 before it; check-in call at 14:45 not answered',
    );

    // Answered at the limit too: once per spell; the next call follows the usual wait from the new answer.
    const ok = fallAfterNoon(calling({ againAtLimit: true }));
    ok.h.record(ok.h.core.callResult('RC-R-1-1', 'answered_well', CALLED + 30 * S));
    ok.home.day(5, [], '14:15', '15:00');
    ok.h.record(ok.h.core.callResult('RC-R-1-2', 'answered_well', at(5, '14:45') + 30 * S));
    ok.home.day(5, [], '15:00', '17:00');
    // From 14:45 the next use usually came within 2 h: 0.9 x 2 h = 16:33, the 16:45 reading.
    const placed = calls(ok.h).filter((c) => c.change === 'placed');
    expect(placed.map((c) => c.at)).toEqual([CALLED, at(5, '14:45') + 2000, at(5, '16:45') + 2000]);
    expect(placed[2]?.reason).toContain('; answered a check-in call at 14:45; from 14:45 the next use usually came within 2 h');
    expect(ok.h.opened(RULE)).toHaveLength(0);
  });

  it('callAgainAtLimit: never sooner than callRetryMinutes after the answer', () => {
    // Answered late in the spell (14:40, with the limit at 14:45): the call again waits until 15:00 (20 min).
    const { h, home } = fallAfterNoon(calling({ againAtLimit: true, timeoutS: 3600 }));
    h.record(h.core.callResult('RC-R-1-1', 'answered_well', at(5, '14:40')));
    home.day(5, [], '14:15', '15:15');
    expect(calls(h).filter((c) => c.change === 'placed').map((c) => c.at)).toEqual([CALLED, at(5, '15:00') + 2000]);
    expect(calls(h).at(-1)?.reason).toContain('(limit 14:45 passed); answered a check-in call at 14:40 before it');
  });

  it('callMaxMinutes: the site rings after at most that much silence, sooner than the usual wait, and says so', () => {
    const h = new Harness(calling({ maxMinutes: 90 }));
    const home = new Household(h);
    for (let d = 0; d < 5; d++) home.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
    // From 12:00 the usual wait is 2 h (the call at 0.9 x = 13:48); the site's cap of 1.5 h rings at 13:30.
    home.day(5, until(DAY, '12:15'), '00:00', '13:45');
    const placed = calls(h).filter((c) => c.change === 'placed');
    expect(placed.map((c) => c.at)).toEqual([at(5, '13:30') + 2000]);
    expect(placed[0]?.reason).toBe(
      'no water used since 12:00 (1.5 h); from 12:00 the next use usually came within 2 h; this site rings after 1.5 h of silence at most: checking on the resident before raising an alert',
    );
    h.advance(at(5, '13:30') + 2000 + 120 * S);
    const [a] = h.opened(RULE);
    expect(a?.openedAt).toBe(at(5, '13:30') + 2000 + 120 * S);
    expect(a?.reason).toBe(
      'no water used since 12:00 (1.5 h); from 12:00 the next use usually came within 2 h (the longest on 5 learned days); check-in call at 13:30 not answered (no result in time); this site rings after 1.5 h of silence at most',
    );
    // A cap longer than the call the usual wait sets changes nothing (13:48, with the 14:00 reading).
    const { h: later } = fallAfterNoon(calling({ maxMinutes: 180 }));
    expect(calls(later).filter((c) => c.change === 'placed').map((c) => c.at)).toEqual([CALLED]);
    expect(calls(later)[0]?.reason).not.toContain('this site rings');
  });

  it('callAttempts 2 (the default): an unanswered call is tried again callRetryMinutes (here 20) later before the alert', () => {
    const { h, home } = fallAfterNoon(calling({ attempts: 2 }));
    h.advance(CALLED + 120 * S);
    expect(h.opened(RULE)).toHaveLength(0);
    // Still silent at the 14:15 reading; the retry goes at 14:22:02 (20 min after the timeout).
    home.day(5, [], '14:15', '14:30');
    h.advance(CALLED + 22 * 60 * S - 1);
    expect(calls(h).filter((c) => c.change === 'placed')).toHaveLength(1);
    h.advance(CALLED + 22 * 60 * S);
    const retry = calls(h).filter((c) => c.change === 'placed')[1];
    expect(retry).toMatchObject({ callId: 'RC-R-1-2', at: CALLED + 22 * 60 * S });
    expect(retry?.reason).toContain('; the call at 14:00 was not answered, ringing again');
    h.record(h.core.callResult('RC-R-1-2', 'failed', CALLED + 23 * 60 * S));
    const [a] = h.opened(RULE);
    expect(a?.openedAt).toBe(CALLED + 23 * 60 * S);
    expect(a?.reason).toMatch(/; check-in calls at 14:00 and 14:22 could not be made$/);
    // Answered on the second try: no alert.
    const ok = fallAfterNoon(calling({ attempts: 2 }));
    ok.h.advance(CALLED + 22 * 60 * S);
    ok.h.record(ok.h.core.callResult('RC-R-1-2', 'answered_well', CALLED + 22 * 60 * S + 30 * S));
    ok.h.advance(CALLED + 40 * 60 * S);
    expect(ok.h.opened(RULE)).toHaveLength(0);
  });

  it('asked for help: a critical alert at once', () => {
    const { h } = fallAfterNoon(calling());
    h.record(h.core.callResult('RC-R-1-1', 'needs_help', CALLED + 20 * S));
    const [a] = h.opened(RULE);
    expect(a).toMatchObject({ openedAt: CALLED + 20 * S, severity: 'critical' });
    expect(a?.reason).toMatch(/; check-in call at 14:00 answered; the resident asked for help$/);
  });

  it('water used while the call rings: the result is kept, no alert', () => {
    // A gateway that lets it ring for up to 30 min.
    const { h, home } = fallAfterNoon(calling({ timeoutS: 1800 }));
    home.day(5, [['14:15', 6]], '14:15', '14:30');
    h.record(h.core.callResult('RC-R-1-1', 'no_answer', at(5, '14:20')));
    expect(calls(h).at(-1)).toMatchObject({ change: 'result', result: 'no_answer' });
    h.advance(at(5, '15:00'));
    expect(h.opened(RULE)).toHaveLength(0);
    expect(h.core.callAwaited('RC-R-1-1')).toBe(false);
  });

  it('repeats are no-ops, a different answer is refused, an answer after the timeout is recorded only', () => {
    const { h } = fallAfterNoon(calling());
    h.record(h.core.callResult('RC-R-1-1', 'answered_well', CALLED + 30 * S));
    expect(h.core.callResult('RC-R-1-1', 'answered_well', CALLED + 40 * S)).toEqual([]);
    expect(() => h.core.callResult('RC-R-1-1', 'no_answer', CALLED + 50 * S)).toThrow(CallAlreadyAnsweredError);
    expect(() => h.core.callResult('RC-R-1-9', 'no_answer', CALLED + 50 * S)).toThrow(CallNotFoundError);
    expect(() => h.core.callResult('RC-nobody-1', 'no_answer', CALLED + 50 * S)).toThrow(CallNotFoundError);

    const late = fallAfterNoon(calling()).h;
    late.advance(CALLED + 120 * S);
    expect(late.opened(RULE)).toHaveLength(1);
    const ev = late.core.callResult('RC-R-1-1', 'answered_well', CALLED + 200 * S);
    expect(ev).toEqual([expect.objectContaining({ type: 'check_call', change: 'late', result: 'answered_well' })]);
    expect(late.core.callResult('RC-R-1-1', 'answered_well', CALLED + 210 * S)).toEqual([]);
    expect(late.core.alerts({ state: 'open' }).filter((a) => a.rule === RULE)).toHaveLength(1);
  });

  it('a call for help that comes late is acted on: the alert is raised to critical, or opened critical', () => {
    // After the timeout: the alert was raised (high); the late "help" raises it to critical at once.
    const { h } = fallAfterNoon(calling());
    h.advance(CALLED + 120 * S);
    expect(h.opened(RULE).map((a) => a.severity)).toEqual(['high']);
    h.record(h.core.callResult('RC-R-1-1', 'needs_help', CALLED + 200 * S));
    expect(calls(h).at(-1)).toMatchObject({ change: 'late', result: 'needs_help', placedAt: CALLED, reason: 'check-in call answered; the resident asked for help (late: acted on)' });
    const [a] = h.core.alerts({ state: 'open' }).filter((x) => x.rule === RULE);
    expect(a?.severity).toBe('critical');
    expect(a?.timeline.map((e) => e.action)).toContain('severity_raised');

    // For a call a retry superseded: the event has no times (only the latest call is kept); the alert opens critical.
    const { h: h2, home } = fallAfterNoon(calling({ attempts: 2 }));
    h2.advance(CALLED + 120 * S);
    home.day(5, [], '14:15', '14:30');
    h2.advance(CALLED + 22 * 60 * S);
    expect(h2.core.callAwaited('RC-R-1-2')).toBe(true);
    h2.record(h2.core.callResult('RC-R-1-1', 'needs_help', CALLED + 23 * 60 * S));
    const late = calls(h2).at(-1);
    expect(late).toMatchObject({ change: 'late', callId: 'RC-R-1-1', result: 'needs_help' });
    expect(late).not.toHaveProperty('placedAt');
    const [b] = h2.opened(RULE);
    expect(b).toMatchObject({ openedAt: CALLED + 23 * 60 * S, severity: 'critical' });
    expect(b?.reason).toBe('the resident asked for help on check-in call RC-R-1-1, answering at 14:23 after the call was settled');
    // ... and the retry's own result raises nothing more.
    h2.record(h2.core.callResult('RC-R-1-2', 'no_answer', CALLED + 24 * 60 * S));
    expect(h2.opened(RULE)).toHaveLength(1);
  });

  it('checkInOf says whether the resident is rung first, and if not the first reason why', () => {
    const off = calling();
    off.residents[0]!.rules = { ...off.residents[0]!.rules, [RULE]: { enabled: false } };
    const cases: [CoreRegistry, unknown][] = [
      [calling(), { ringsFirst: true }],
      [registry(), { ringsFirst: false, because: 'site_step_off' }],
      [calling({ phone: false }), { ringsFirst: false, because: 'no_phone' }],
      [off, { ringsFirst: false, because: 'routine_off' }],
      [calling({ callFactor: 0 }), { ringsFirst: false, because: 'calls_off' }],
    ];
    for (const [reg, expected] of cases) expect(new Harness(reg).core.checkInOf('R-1')).toEqual(expected);
    expect(() => new Harness(calling()).core.checkInOf('R-404')).toThrow(/R-404/);
  });

  it('no phone, or callFactor 0: no call, the alert at the usual limit', () => {
    for (const reg of [calling({ phone: false }), calling({ callFactor: 0 })]) {
      const h = new Harness(reg);
      const home = new Household(h);
      for (let d = 0; d < 5; d++) home.day(d, shifted(DAY, [-15, 0, 15][d % 3] as number, '00:00', '08:00'));
      home.day(5, until(DAY, '12:15'), '00:00', '18:00');
      expect(calls(h)).toEqual([]);
      expect(h.opened(RULE).map((a) => a.openedAt)).toEqual([at(5, '14:45') + 2000]);
    }
  });

  it('a pending call survives a restart: its timeout fires once after the restart grace', () => {
    const { h } = fallAfterNoon(calling());
    const snap = JSON.parse(JSON.stringify(h.core.snapshot())) as CoreSnapshot;
    expect(snap.subjects.find((s) => s.id === 'R-1')?.routine?.call).toMatchObject({ id: 'RC-R-1-1', timeoutAt: CALLED + 120 * S });
    const after = new Harness(calling());
    after.core = RulesCore.restore(snap, { registry: calling() });
    // Down for 10 minutes: the timeout passed meanwhile.
    after.record(after.core.resumeAfterRestart(CALLED + 10 * 60 * S, 30 * S));
    after.advance(CALLED + 10 * 60 * S + 29 * S);
    expect(after.opened(RULE)).toHaveLength(0);
    after.advance(CALLED + 10 * 60 * S + 30 * S);
    expect(after.opened(RULE).map((a) => a.openedAt)).toEqual([CALLED + 10 * 60 * S + 30 * S]);
    after.advance(CALLED + 60 * 60 * S);
    expect(after.opened(RULE)).toHaveLength(1);
  });

  describe('callDoubtAfter: a resident who misses calls while fine', () => {
    /** Day 5 as fallAfterNoon, but back at 14:15 (a use before the 14:45 limit): an unanswered call while fine. */
    function missedOnce(reg: CoreRegistry, outcome: Outcome = 'safe'): { h: Harness; home: Household } {
      const { h, home } = fallAfterNoon(reg);
      h.advance(CALLED + 120 * S);
      home.day(5, [['14:15', 6], ...DAY.filter(([t]) => t > '14:15')], '14:15', '24:00');
      // Staff found the resident well (or the alert was never raised): nothing left open.
      const open = h.core.alerts({ state: 'open' }).find((a) => a.rule === RULE);
      if (open) h.record(h.core.resolve(open.id, outcome, 'back from the market', 'staff-1', at(5, '16:00')));
      return { h, home };
    }

    it('after one such call, the next unanswered call waits for the usual limit, and says why', () => {
      const { h, home } = missedOnce(calling({ doubtAfter: 1 }));
      // Without doubt, the first miss raised the alert at once (nothing learned yet); the use at 14:15 counts it.
      expect(h.opened(RULE).map((a) => a.openedAt)).toEqual([CALLED + 120 * S]);
      expect(h.core.snapshot().subjects.find((s) => s.id === 'R-1')?.routine?.unreached).toEqual([CALLED]);
      expect(h.core.routineOf('R-1').missedCalls).toBe(1);
      // Day 6: silent again after 12:00; the 14:00 call goes unanswered. No alert before the usual limit.
      home.day(6, until(DAY, '12:15'), '00:00', '14:15');
      const placed = calls(h).filter((c) => c.change === 'placed');
      expect(placed.at(-1)).toMatchObject({ callId: 'RC-R-1-2', at: at(6, '14:00') + 2000 });
      h.advance(at(6, '14:00') + 2000 + 120 * S);
      expect(calls(h).at(-1)).toMatchObject({ change: 'result', result: 'no_answer', timedOut: true });
      expect(h.opened(RULE)).toHaveLength(1);
      home.day(6, [], '14:15', '15:00');
      const second = h.opened(RULE)[1];
      expect(second?.openedAt).toBe(at(6, '14:45') + 2000);
      expect(second?.reason).toMatch(
        /; check-in call at 14:00 not answered \(no result in time\), as often before while fine \(1 unanswered call in the last 28 days, water ran again each time\)$/,
      );
    });

    it('water before the limit after a doubted call: no alert', () => {
      const { h, home } = missedOnce(calling({ doubtAfter: 1 }));
      home.day(6, until(DAY, '12:15'), '00:00', '14:15');
      h.advance(at(6, '14:00') + 2000 + 120 * S);
      home.day(6, [['14:30', 5]], '14:15', '16:00');
      expect(h.opened(RULE)).toHaveLength(1);
      // ... and that is a second miss while fine.
      expect(h.core.snapshot().subjects.find((s) => s.id === 'R-1')?.routine?.unreached).toHaveLength(2);
    });

    it('callDoubtAfter 0 (off), or fewer misses than it asks: the alert follows the unanswered call at once', () => {
      for (const reg of [calling({ doubtAfter: 0 }), calling({ doubtAfter: 2 })]) {
        const { h, home } = missedOnce(reg);
        home.day(6, until(DAY, '12:15'), '00:00', '14:15');
        h.advance(at(6, '14:00') + 2000 + 120 * S);
        expect(h.opened(RULE).map((a) => a.openedAt)).toEqual([CALLED + 120 * S, at(6, '14:00') + 2000 + 120 * S]);
      }
    });

    it('a spell staff resolved as an emergency (rescued, emergency_called, hospitalised) is no miss', () => {
      const { h, home } = missedOnce(calling({ doubtAfter: 1 }), 'rescued');
      expect(h.core.routineOf('R-1').missedCalls).toBe(0);
      home.day(6, until(DAY, '12:15'), '00:00', '14:15');
      h.advance(at(6, '14:00') + 2000 + 120 * S);
      expect(h.opened(RULE).map((a) => a.openedAt)).toEqual([CALLED + 120 * S, at(6, '14:00') + 2000 + 120 * S]);
    });

    it('callDoubtWindowMinutes: only misses near the same time of day count', () => {
      const { h, home } = missedOnce(calling({ doubtAfter: 1, doubtWindow: 60 }));
      // Day 6: an ordinary day until 18:00, then silent; from 18:00 the next use came within 2 h: the call
      // goes at 19:48 (the 20:00 reading), six hours from the 14:00 miss: not doubted, the alert at once.
      home.day(6, until(DAY, '18:15'), '00:00', '20:15');
      const last = calls(h).filter((c) => c.change === 'placed').at(-1);
      expect(last).toMatchObject({ at: at(6, '20:00') + 2000 });
      h.advance(at(6, '20:00') + 2000 + 120 * S);
      expect(h.opened(RULE).map((a) => a.openedAt)).toEqual([CALLED + 120 * S, at(6, '20:00') + 2000 + 120 * S]);
      h.record(h.core.resolve(h.opened(RULE)[1]!.id, 'safe', 'asleep in the armchair', 'staff-1', at(6, '21:00')));
      // Day 7: silent after 12:00 again: the 14:00 call is within 60 min of the day-5 miss: doubted.
      home.day(7, until(DAY, '12:15'), '00:00', '14:15');
      h.advance(at(7, '14:00') + 2000 + 120 * S);
      expect(h.opened(RULE)).toHaveLength(2);
    });

    it('the misses survive a restart', () => {
      const { h } = missedOnce(calling({ doubtAfter: 1 }));
      const snap = JSON.parse(JSON.stringify(h.core.snapshot())) as CoreSnapshot;
      const after = new Harness(calling({ doubtAfter: 1 }));
      after.core = RulesCore.restore(snap, { registry: calling({ doubtAfter: 1 }) });
      const home = new Household(after);
      home.total = 1e6;
      after.record(after.core.resumeAfterRestart(at(6, '00:00'), 30 * S));
      home.day(6, until(DAY, '12:15'), '00:00', '14:15');
      after.advance(at(6, '14:00') + 2000 + 120 * S);
      expect(after.opened(RULE)).toHaveLength(0);
      home.day(6, [], '14:15', '15:00');
      expect(after.opened(RULE).map((a) => a.openedAt)).toEqual([at(6, '14:45') + 2000]);
    });
  });
});
