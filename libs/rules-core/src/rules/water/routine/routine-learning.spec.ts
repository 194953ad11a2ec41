import { RULE_DEFAULTS } from '@hearthbeat/contracts';
import { clockReach, estimateBoundary, learnBounds, summarizeDay } from './routine-learning';
import type { RoutineDay } from './routine-state';

const MIN = 60_000;
const M0 = Date.UTC(2025, 10, 20, 16); // a local midnight (Shanghai)
const t = (hhmm: string) => M0 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
const p = { ...RULE_DEFAULTS['water.routine_deviation'], warmupDays: 3, minDaysPerType: 2 };
const day = (date: number, weekend: boolean, first: number, last: number, quiet: number): RoutineDay => ({ date, weekend, first, last, quiet });

describe('routine learning (pure)', () => {
  it('summarizes a day: rising is a burst of uses, a lone night flush is not; nor is it bedtime', () => {
    const uses = ['04:30', '07:00', '07:15', '07:45', '12:00', '15:30', '21:30', '21:45', '01:10'].map(t);
    // 04:30 alone (night toilet), 07:00 starts a burst of three; 01:10 (next morning, 25:10) is alone
    // after 3 h 25 min: a night visit. The longest quiet spell between them: 15:30 to 21:30.
    // By part of the day: 07:45-12:00 in the morning, 15:30-21:30 from the afternoon, 21:30-21:45 in the evening.
    const next = uses.map((u, i) => (i === uses.length - 1 ? u + 24 * 60 * MIN : u));
    // Spells over 15 min, as [start, end] pairs: 07:15-07:45, 07:45-12:00, 12:00-15:30, 15:30-21:30.
    expect(summarizeDay(next, M0)).toEqual({ first: 420, last: 1305, quiet: 360, quietBy: [255, 360, 15], spells: [435, 465, 465, 720, 720, 930, 930, 1290] });
    // Bedtime in a single reading interval, two hours after the last use: still bedtime.
    expect(summarizeDay(['07:00', '07:15', '07:30', '19:00', '21:15'].map(t), M0)).toMatchObject({ last: 1275 });
  });

  it('a lone use after a quiet evening is bedtime when it is within the usual bedtime window (bedBy)', () => {
    const uses = ['07:00', '07:15', '07:30', '10:00', '12:00', '14:00', '16:00', '17:30', '18:30', '21:45'].map(t);
    // 21:45 comes 3 h 15 min after 18:30 with nothing after it: without bedBy it looks like a night visit.
    expect(summarizeDay(uses, M0)).toMatchObject({ last: 1110, quiet: 150, quietBy: [150, 120, 60] });
    // The usual bedtime runs until 22:30 (latest usual + margin): 21:45 is going to bed, after a quiet evening.
    expect(summarizeDay(uses, M0, 22 * 60 + 30)).toMatchObject({ last: 1305, quiet: 195, quietBy: [150, 120, 195] });
    // A lone flush after the bedtime window is still a night visit.
    expect(summarizeDay(uses, M0, 21 * 60)).toMatchObject({ last: 1110 });
  });

  it('clockReach: the longest wait for the next use from a time of day, over the learned days', () => {
    const q = { ...p, warmupDays: 6, clockQuietWindowMinutes: 60, clockQuietTrimDays: 0 };
    const d = (date: number, spells: number[], extra: Partial<RoutineDay> = {}): RoutineDay => ({ date, weekend: false, first: 420, last: 1300, quiet: 300, spells, ...extra });
    // Lunch-to-dinner spells (12:30-17:30) on some days, a short one starting at 15:45 on others.
    const h = [d(1, [750, 1050]), d(2, [750, 1050]), d(3, [945, 1035]), d(4, [945, 1020]), d(5, [600, 660]), d(6, [600, 660])];
    // From 15:50 (950): days 1 and 2 were 2 h 40 min into their spell (wait 100 min); 3 and 4 had a spell
    // starting within the hour before (90 and 75 min); 5 and 6 used water within SPELL_MIN.
    expect(clockReach(h, 950, q)).toEqual({ reach: 100, days: 6, trimmed: 0 });
    // From 12:30 (750): the whole lunch-to-dinner spell.
    expect(clockReach(h, 750, q)).toEqual({ reach: 300, days: 6, trimmed: 0 });
    // The longest wait dropped with clockQuietTrimDays 1 (two days tie at 300: the other stays).
    expect(clockReach(h, 750, { ...q, clockQuietTrimDays: 1 })).toEqual({ reach: 300, days: 6, trimmed: 1 });
    expect(clockReach(h, 950, { ...q, clockQuietTrimDays: 1 })).toEqual({ reach: 100, days: 6, trimmed: 1 });
    expect(clockReach(h, 950, { ...q, clockQuietTrimDays: 2 })).toEqual({ reach: 90, days: 6, trimmed: 2 });
    // Before a day's rising, the wait is until it; days already in bed by then say nothing; nor do days
    // learned before spells were kept; fewer than max(3, warmupDays / 2) days: undefined.
    expect(clockReach([...h.slice(0, 2), d(7, [], { first: 540 }), d(8, [], { last: 300 })], 360, { ...q, warmupDays: 3 })).toEqual({ reach: 180, days: 3, trimmed: 0 });
    expect(clockReach([...h.slice(0, 5), { date: 9, weekend: false, first: 420, last: 1300, quiet: 300 }], 950, { ...q, warmupDays: 12 })).toBeUndefined();
    // A day staff marked normal is never trimmed (its spell started at 15:00, within the hour before).
    const marked = [...h.slice(2), d(10, [900, 1200], { normal: true })];
    expect(clockReach(marked, 950, { ...q, warmupDays: 3, clockQuietTrimDays: 1 })).toMatchObject({ reach: 300, trimmed: 1 });
  });

  it('bedLo: the earliest usual bedtime with bedTrimDays of the earliest dropped', () => {
    const h = [1110, 1290, 1300, 1310, 1320].map((l, i) => day(i, false, 420, l, 120));
    expect(learnBounds(h, false, { ...p, bedTrimDays: 0 })).toMatchObject({ lastLo: 1110, bedLo: 1110 });
    expect(learnBounds(h, false, { ...p, bedTrimDays: 1 })).toMatchObject({ lastLo: 1110, bedLo: 1290 });
  });

  it('teaches nothing from fewer than three uses', () => {
    expect(summarizeDay([t('08:00'), t('20:00')], M0)).toEqual({});
  });

  it('learns nothing before warmupDays, then ranges by day type (pooled until minDaysPerType)', () => {
    const h = [day(1, false, 400, 1300, 120), day(2, false, 430, 1320, 150)];
    expect(learnBounds(h, false, p)).toBeUndefined();
    h.push(day(3, true, 500, 1360, 100));
    // Weekend: only one weekend day (< 2): pooled over all three.
    expect(learnBounds(h, true, p)).toMatchObject({ typed: false, days: 3, firstLo: 400, firstHi: 500, lastLo: 1300, lastHi: 1360, quiet: 150 });
    // Weekday: two weekdays: typed.
    expect(learnBounds(h, false, p)).toMatchObject({ typed: true, days: 2, firstLo: 400, firstHi: 430, lastLo: 1300, lastHi: 1320, quiet: 150 });
  });

  it('never trims a day staff marked normal', () => {
    const h = [400, 410, 420, 430, 570].map((f, i) => ({ ...day(i, false, f, 1300, 100), ...(f === 570 ? { normal: true } : {}) }));
    // The earliest plain rising (400) is trimmed; the marked day widens the late end to 570.
    expect(learnBounds(h, false, { ...p, trimDays: 1 })).toMatchObject({ firstLo: 410, firstHi: 570 });
  });

  it('trimDays drops the earliest risings and the latest bedtimes, quietTrimDays the longest spells', () => {
    const h = [400, 410, 420, 430, 640].map((f, i) => day(i, false, f, 1300 - i, 100 + i));
    expect(learnBounds(h, false, { ...p, trimDays: 1 })).toMatchObject({ firstLo: 410, firstHi: 640, lastLo: 1296, lastHi: 1299, quiet: 104 });
    expect(learnBounds(h, false, { ...p, trimDays: 0, quietTrimDays: 1 })).toMatchObject({ firstLo: 400, quiet: 103 });
    // Three values are kept whatever the trim.
    expect(learnBounds(h.slice(0, 3), false, { ...p, trimDays: 2 })).toMatchObject({ firstLo: 400, firstHi: 420 });
  });

  it("puts the day boundary in the middle of the resident's quiet night", () => {
    const slots = new Array<number>(96).fill(0);
    const use = (hhmm: string, n: number) => {
      const i = Math.floor((Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) / 15);
      slots[i] = (slots[i] ?? 0) + n;
    };
    expect(estimateBoundary(slots)).toBe(180);
    // A night owl: busy until 02:30, up at 10:00. Quiet (+-1 h) from 03:45 on; searched up to 08:00: 05:45.
    for (const hh of ['10:00', '11:00', '13:00', '16:00', '19:00', '22:00', '00:30', '01:45', '02:30']) use(hh, 10);
    expect(estimateBoundary(slots)).toBe(5 * 60 + 45);
  });
});
