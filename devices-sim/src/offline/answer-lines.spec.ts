import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TruthLine, WaterReading } from '@hearthbeat/contracts';
import { removeOutput, simulateOffline, type OfflineOutput } from '../../test/offline-output';
import { Rng } from '../core/prng.util';
import { HOUR_MS, localDateOf } from '../core/zoned-time.util';
import { routineContexts, type SimResident } from '../fleet/sim-fleet.builder';
import { callHabits } from '../residents/call-answering.model';
import { daySchedule, dayTimes } from '../residents/daily-routine.model';
import { makeProfile } from '../residents/resident-profile.model';
import { answerLines, type AnswerIntervalLine, type AnswerLine } from './answer-lines';

const SEED = 'answers';
const DAYS = 5;
const ARGS = ['--residents', '16', '--elevators', '0', '--days', String(DAYS), '--batch', '4', '--incident-rate', '3', '--seed', SEED];
const SCHEDULED = [
  'fall:R-0005@2026-11-02T10:00/6h',
  'fall_in_shower:R-0006@2026-11-02T19:30/2h',
  'late_rising:R-0007@2026-11-03T11:00',
  'hospital:R-0008@2026-11-02T10:00/2d',
  'away_unannounced:R-0009@2026-11-02T09:00/1d',
  'away:R-0010@2026-11-03T09:00/1d',
].flatMap((s) => ['--scenario', s]);
const WHY = ['outing', 'asleep', 'fall', 'fall_in_shower', 'hospital', 'away', 'away_unannounced', 'late_rising'];

const isInterval = (l: AnswerLine): l is AnswerIntervalLine => 'from' in l;
const text = (out: OfflineOutput) => readFileSync(path.join(out.dir, 'answers.jsonl'), 'utf8');
const parse = (out: OfflineOutput): AnswerLine[] =>
  text(out)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as AnswerLine);

describe('answers.jsonl (how residents would answer a check-in call)', () => {
  let a: OfflineOutput;
  let b: OfflineOutput;
  let lines: AnswerLine[];
  let intervals: AnswerIntervalLine[];
  beforeAll(async () => {
    a = await simulateOffline([...ARGS, ...SCHEDULED]);
    b = await simulateOffline([...ARGS, ...SCHEDULED]);
    lines = parse(a);
    intervals = lines.filter(isInterval);
  });
  afterAll(() => [a, b].forEach(removeOutput));

  const of = (subject: string, why: string) => intervals.filter((l) => l.subject === subject && l.why === why);
  const truthOf = (subject: string) => a.truth.filter((t) => t.subject === subject);

  it('is written next to truth.jsonl, listed in the summary, and byte-identical for the same options', () => {
    expect(existsSync(path.join(a.dir, 'answers.jsonl'))).toBe(true);
    expect(a.summary.answers.path).toBe(path.join(a.dir, 'answers.jsonl'));
    expect(a.summary.answers.lines).toBe(lines.length);
    expect(a.summary.answers.bytes).toBe(Buffer.byteLength(text(a)));
    const sha = (out: OfflineOutput) => createHash('sha256').update(text(out)).digest('hex');
    expect(sha(b)).toBe(sha(a));
  });

  it('gives every resident with a phone exactly one base line, first, then intervals sorted by from', () => {
    const withPhone = a.registry.residents.filter((r) => r.phone).map((r) => r.id);
    expect(withPhone.length).toBe(16);
    const bases = lines.filter((l) => !isInterval(l));
    expect(bases.map((l) => l.subject)).toEqual(withPhone);
    for (const base of bases) expect(base).toEqual({ subject: base.subject, ...callHabits(SEED, base.subject).usual });
    let last: AnswerLine | undefined;
    for (const l of lines) {
      if (last && last.subject === l.subject) {
        expect(isInterval(l)).toBe(true);
        if (isInterval(last) && isInterval(l)) expect(l.from).toBeGreaterThanOrEqual(last.from);
      } else {
        // A new subject starts with its base line, in id order.
        expect(isInterval(l)).toBe(false);
        if (last) expect(l.subject > last.subject).toBe(true);
      }
      last = l;
    }
  });

  it('writes valid probabilities, integer non-empty intervals overlapping the run, keys in the format order', () => {
    for (const l of lines) {
      expect(l.answered).toBeGreaterThanOrEqual(0);
      expect(l.help).toBeGreaterThanOrEqual(0);
      expect(l.answered + l.help).toBeLessThanOrEqual(1);
      expect(Object.keys(l)).toEqual(isInterval(l) ? ['subject', 'from', 'to', 'answered', 'help', 'why'] : ['subject', 'answered', 'help']);
      if (!isInterval(l)) continue;
      expect(Number.isInteger(l.from) && Number.isInteger(l.to)).toBe(true);
      expect(l.to).toBeGreaterThan(l.from);
      expect(l.to > a.summary.start && l.from < a.summary.end).toBe(true);
      expect(WHY).toContain(l.why);
    }
    // Every night of the run is there for everyone: DAYS + 1 nights touch the run (the one before it too).
    for (const r of a.registry.residents) expect(of(r.id, 'asleep').length).toBeGreaterThanOrEqual(DAYS);
    expect(intervals.filter((l) => l.why === 'asleep').every((l) => l.answered === 0.3 && l.help === 0)).toBe(true);
  });

  it('covers every fall exactly with a fall interval: no answer, help 0.2', () => {
    const falls = a.truth.filter((t) => t.kind === 'fall' || t.kind === 'fall_in_shower');
    expect(falls.find((t) => t.subject === 'R-0005' && t.kind === 'fall')?.start).toBe(Date.UTC(2026, 10, 2, 2));
    expect(falls.find((t) => t.subject === 'R-0006' && t.kind === 'fall_in_shower')).toBeDefined();
    for (const t of falls) {
      expect(of(t.subject, t.kind)).toEqual([{ subject: t.subject, from: t.start, to: t.end, answered: 0, help: 0.2, why: t.kind }]);
    }
    expect(intervals.filter((l) => l.why === 'fall' || l.why === 'fall_in_shower').length).toBe(falls.length);
  });

  it('keeps a late riser asleep until they get up: late_rising and the night end at the late wake', () => {
    const late = a.truth.filter((t) => t.kind === 'late_rising');
    expect(late.some((t) => t.subject === 'R-0007')).toBe(true);
    expect(intervals.filter((l) => l.why === 'late_rising').length).toBe(late.length);
    for (const t of late) {
      expect(of(t.subject, 'late_rising').filter((l) => l.from === t.start)).toEqual([{ subject: t.subject, from: t.start, to: t.end, answered: 0.3, help: 0, why: 'late_rising' }]);
      const night = of(t.subject, 'asleep').find((l) => l.to === t.end);
      expect(night?.from).toBeLessThan(t.start);
    }
  });

  it('makes hospital and absences unreachable on a landline; a mobile answers half the time in hospital and as usual away', () => {
    const kinds = ['hospital', 'away', 'away_unannounced'];
    const stays = a.truth.filter((t) => kinds.includes(t.kind));
    expect(new Set(stays.map((t) => t.kind))).toEqual(new Set(kinds));
    for (const t of stays) {
      const mobile = callHabits(SEED, t.subject).mobile;
      const expected = t.kind === 'hospital' ? [{ subject: t.subject, from: t.start, to: t.end, answered: mobile ? 0.5 : 0, help: 0, why: t.kind }] : mobile ? [] : [{ subject: t.subject, from: t.start, to: t.end, answered: 0, help: 0, why: t.kind }];
      expect(of(t.subject, t.kind)).toEqual(expected);
    }
  });

  it("gives landline owners planDay's outings, in which their meter records no water; mobile owners none", () => {
    const start = a.summary.start;
    const tz = a.registry.sites[0]?.timezone ?? 'UTC';
    const routines = routineContexts(a.registry, SEED, localDateOf(start, tz), () => tz);
    let outings = 0;
    let quietPairs = 0;
    for (const r of a.registry.residents) {
      const mine = of(r.id, 'outing');
      if (callHabits(SEED, r.id).mobile) {
        expect(mine).toEqual([]);
        continue;
      }
      // The outings of planDay itself, late risings applied as the meter plays them.
      const ctx = routines.get(r.id);
      if (!ctx) throw new Error(`no routine for ${r.id}`);
      const late = truthOf(r.id).filter((t) => t.kind === 'late_rising');
      const expected = Array.from({ length: DAYS }, (_, d) => daySchedule(ctx, d, { wake: late.find((t) => t.start === dayTimes(ctx, d).wake)?.end }).outing)
        .filter((o): o is [number, number] => o !== null)
        .map(([from, to]) => ({ subject: r.id, from: Math.ceil(from), to: Math.ceil(to), answered: 0, help: 0, why: 'outing' }));
      expect(mine).toEqual(expected);
      outings += mine.length;

      // In the messages: between readings inside the outing (after 12 min, for a shower or the washing-up
      // still running when they leave) the register does not move. Outings crossing an incident are skipped.
      const meter = r.devices.find((d) => d.startsWith('WM-')) ?? '';
      const readings = (a.byDevice.get(meter) ?? [])
        .filter((m) => m.channel === 'telemetry' && typeof m.payload === 'object')
        .flatMap((m) => ((m.payload as { readings?: WaterReading[] }).readings ?? []).filter((x) => typeof x.totalL === 'number'))
        .sort((x, y) => x.ts - y.ts);
      const incidents: TruthLine[] = truthOf(r.id);
      for (const o of mine) {
        if (incidents.some((t) => t.start < o.to && t.end > o.from)) continue;
        const inside = readings.filter((x) => x.ts >= o.from + 12 * 60_000 && x.ts <= o.to);
        expect(inside.length).toBeGreaterThanOrEqual(4);
        for (let i = 1; i < inside.length; i++) {
          expect((inside[i] as WaterReading).totalL).toBe((inside[i - 1] as WaterReading).totalL);
          quietPairs++;
        }
        expect(inside.every((x) => x.flowLpm === 0)).toBe(true);
      }
    }
    expect(outings).toBeGreaterThanOrEqual(6);
    expect(quietPairs).toBeGreaterThan(30);
  });
});

describe('answerLines', () => {
  const start = Date.UTC(2026, 10, 1, 16);
  const resident = (id: string, phone: string | undefined): SimResident => ({
    id,
    phone,
    routine: { seed: 'unit', residentId: id, profile: makeProfile('typical', Rng.derive('unit', id, 'profile')), startDate: { year: 2026, month: 11, day: 2 }, tz: 'Asia/Shanghai' },
    wakeOverrides: new Map(),
  });

  it('leaves out residents without a phone, sorts residents by id, and ignores incidents that do not change answering', () => {
    const truth: TruthLine[] = [
      { subject: 'R-0002', kind: 'fall', start: start + 10 * HOUR_MS, end: start + 14 * HOUR_MS },
      { subject: 'R-0003', kind: 'fall', start: start + 10 * HOUR_MS, end: start + 14 * HOUR_MS },
      { subject: 'R-0003', kind: 'tap_running', start: start + 20 * HOUR_MS, end: start + 22 * HOUR_MS },
      { subject: 'R-0003', kind: 'leak', deviceId: 'WM-0003', start: start + 20 * HOUR_MS, end: start + 22 * HOUR_MS },
    ];
    const out = [...answerLines([resident('R-0003', '021-5550-0003'), resident('R-0002', undefined), resident('R-0001', '021-5550-0001')], truth, start, start + 2 * 24 * HOUR_MS)];
    expect([...new Set(out.map((l) => l.subject))]).toEqual(['R-0001', 'R-0003']);
    const whys = new Set(out.filter(isInterval).map((l) => l.why));
    expect(whys.has('fall')).toBe(true);
    expect([...whys].every((w) => ['asleep', 'outing', 'fall'].includes(w))).toBe(true);
    expect(out.filter(isInterval).filter((l) => l.subject === 'R-0003' && l.why === 'fall')).toHaveLength(1);
  });
});
