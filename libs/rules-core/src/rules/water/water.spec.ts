import { fleet, H, Harness, MIN, status, T0, water, waterBatch } from '../../test-support/harness.test-helpers';

const onlineMeter = { residentRules: { 'water.meter_offline': { afterS: 24 * 3600 } } };

describe('water.no_activity: deadlines, offline meters, backfill', () => {
  it('fires at the end of the window by advance() with no further message, citing local times', () => {
    const h = new Harness(fleet(onlineMeter));
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 2 * H, 150), T0 + 2 * H);
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 14 * H);
    h.advance(T0 + 14 * H - 1);
    expect(h.opened('water.no_activity')).toHaveLength(0);
    h.advance(T0 + 14 * H);
    const [a] = h.opened('water.no_activity');
    expect(a).toMatchObject({ openedAt: T0 + 14 * H, state: 'open', severity: 'high', subject: { type: 'resident', id: 'R-1' }, deviceId: 'WM-1' });
    // T0 is midnight in Shanghai: the last use was at 02:00 local time.
    expect(a?.reason).toBe('0 L used in the last 12 h (less than 10 L); last use 02:00 (50 L)');
    h.advance(T0 + 40 * H);
    expect(h.opened('water.no_activity')).toHaveLength(1);
  });

  it('writes reason times in the site zone (Europe/Berlin)', () => {
    const h = new Harness(fleet({ ...onlineMeter, timezone: 'Europe/Berlin' }));
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 2 * H, 150), T0 + 2 * H);
    h.advance(T0 + 14 * H);
    // 18:00 UTC on 20 Nov is 19:00 in Berlin (CET): the same instant as 02:00 in Shanghai.
    expect(h.opened('water.no_activity')[0]?.reason).toContain('last use 2025-11-20 19:00 (50 L)');
  });

  it('treats zero-usage readings and status keep-alives as signs of life, not activity', () => {
    const h = new Harness(fleet());
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 15 * MIN, 120), T0 + 15 * MIN);
    for (let t = T0 + 30 * MIN; t <= T0 + 13 * H; t += 15 * MIN) {
      h.send(t % (30 * MIN) === 0 ? water(t, 120) : status('WM-1', 'water_meter', true), t);
    }
    const [a] = h.opened('water.no_activity');
    expect(a?.openedAt).toBeGreaterThanOrEqual(T0 + 12 * H + 15 * MIN);
    expect(a?.openedAt).toBeLessThanOrEqual(T0 + 12 * H + 35 * MIN);
    expect(h.opened('water.meter_offline')).toHaveLength(0);
  });

  it('an offline meter raises water.meter_offline and never water.no_activity', () => {
    const h = new Harness(fleet());
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 15 * MIN, 150), T0 + 15 * MIN);
    for (let t = T0; t <= T0 + 48 * H; t += H) h.advance(t);
    expect(h.opened('water.meter_offline').map((a) => a.openedAt)).toEqual([T0 + 45 * MIN]);
    expect(h.opened('water.no_activity')).toHaveLength(0);
    expect(h.events.filter((e) => e.type === 'device' && e.deviceId === 'WM-1').map((e) => e.type === 'device' && e.change)).toEqual(['offline']);
  });

  it('evaluates readings backfilled after a reconnect: still no use -> no_activity at once', () => {
    const h = new Harness(fleet());
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 15 * MIN, 150), T0 + 15 * MIN);
    h.advance(T0 + 20 * H);
    const backfill = [];
    for (let t = T0 + 30 * MIN; t <= T0 + 20 * H; t += H) backfill.push({ ts: t, totalL: 150 });
    h.send(waterBatch(T0 + 20 * H, backfill), T0 + 20 * H + 5_000);
    const [a] = h.opened('water.no_activity');
    expect(a?.openedAt).toBe(T0 + 20 * H + 5_000);
    expect(a?.reason).toContain('last use 00:15');
    const offline = h.alert('water.meter_offline');
    expect(offline?.timeline.map((e) => e.action)).toContain('condition_cleared');
  });

  it('evaluates readings backfilled after a reconnect: use during the outage -> no alert', () => {
    const h = new Harness(fleet());
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 15 * MIN, 150), T0 + 15 * MIN);
    h.advance(T0 + 20 * H);
    h.send(
      waterBatch(T0 + 20 * H, [
        { ts: T0 + 10 * H, totalL: 150 },
        { ts: T0 + 19 * H, totalL: 175 },
        { ts: T0 + 20 * H, totalL: 175 },
      ]),
      T0 + 20 * H,
    );
    h.advance(T0 + 20 * H + 20 * MIN);
    expect(h.opened('water.no_activity')).toHaveLength(0);
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 31 * H);
  });

  it('waits for the next report before judging a window the readings do not cover yet', () => {
    const h = new Harness(fleet({ waterIntervalS: 6 * 3600, ...onlineMeter }));
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 11 * H, 150), T0 + 11 * H);
    // The episode would start at 11 h + 12 h; the next report is due at 17 h (+ 15 min slack): the start wins.
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 23 * H);
    const h2 = new Harness(fleet({ waterIntervalS: 6 * 3600, ...onlineMeter }));
    h2.send(water(T0, 100), T0);
    h2.send(water(T0 + 11 * H, 150), T0 + 11 * H);
    h2.send(water(T0 + 22 * H, 150), T0 + 22 * H);
    // The readings reach 22 h only: wait for the next report (28 h) plus its slack (a quarter interval, at most 15 min).
    expect(h2.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 28.25 * H);
  });

  it('a resident with two meters is quiet only when both are', () => {
    const h = new Harness(fleet({ ...onlineMeter, extraMeter: true }));
    h.send(water(T0, 100), T0);
    h.send(water(T0, 500, { deviceId: 'WM-2' }), T0);
    h.send(water(T0 + 6 * H, 600, { deviceId: 'WM-2' }), T0 + 6 * H);
    h.advance(T0 + 17 * H);
    expect(h.opened('water.no_activity')).toHaveLength(0);
    h.advance(T0 + 18 * H);
    expect(h.opened('water.no_activity').map((a) => a.openedAt)).toEqual([T0 + 18 * H]);
  });
});

describe('water readings: batches, order, duplicates, registers', () => {
  it('re-attributes a late reading to the interval it splits (reading time)', () => {
    const h = new Harness(fleet(onlineMeter));
    h.send(water(T0, 100), T0);
    h.send(water(T0 + 2 * H, 130), T0 + 2 * H);
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 14 * H);
    // Late: 25 of the 30 L were used by 01:00, only 5 L between 01:00 and 02:00.
    h.send(water(T0 + H, 125), T0 + 2 * H + MIN);
    expect(h.core.deviceState('WM-1')?.due.noActivity).toBe(T0 + 13 * H);
    expect(h.core.deviceState('WM-1')?.water?.days).toEqual([T0, 30]);
  });

  it('never counts a reading twice when batches overlap', () => {
    const h = new Harness(fleet({ residentRules: { 'water.high_use': { litersPerDay: 250 } } }));
    h.send(waterBatch(T0 + H, [{ ts: T0, totalL: 100 }, { ts: T0 + 15 * MIN, totalL: 200 }]), T0 + H);
    h.send(waterBatch(T0 + 2 * H, [{ ts: T0 + 15 * MIN, totalL: 200 }, { ts: T0 + 30 * MIN, totalL: 300 }]), T0 + 2 * H);
    expect(h.core.deviceState('WM-1')?.water?.days).toEqual([T0, 200]);
    expect(h.opened('water.high_use')).toHaveLength(0);
  });

  it('flags a register that goes down and never counts it as usage', () => {
    const h = new Harness(fleet());
    h.send(water(T0, 1000), T0);
    h.send(water(T0 + 15 * MIN, 50), T0 + 15 * MIN);
    h.send(water(T0 + 30 * MIN, 60), T0 + 30 * MIN);
    expect(h.opened('water.meter_fault')[0]?.reason).toMatch(/^register went down from 1000 L to 50 L at 00:15/);
    expect(h.core.deviceState('WM-1')?.water?.days).toEqual([T0, 10]);
  });

  it('evaluates a batch in reading time: a continuous-flow run inside one upload', () => {
    const h = new Harness(fleet());
    const readings = [];
    for (let i = 0; i <= 6; i++) readings.push({ ts: T0 + i * 15 * MIN, totalL: 100 + i * 16 });
    h.send(waterBatch(T0 + 2 * H, readings), T0 + 2 * H);
    const [a] = h.opened('water.continuous_flow');
    expect(a?.reason).toBe('water flowing without a break for 1.5 h since 00:00 (96 L)');
  });
});

describe('water.high_use: the local day of the site', () => {
  const around = (h: Harness) => {
    h.send(water(T0 - H, 1000), T0 - H);
    h.send(water(T0 - 30 * MIN, 1300), T0 - 30 * MIN);
    h.send(water(T0 + 30 * MIN, 1600), T0 + 30 * MIN);
  };
  it('splits use at local midnight in Asia/Shanghai and in a fixed UTC+8 zone', () => {
    for (const timezone of ['Asia/Shanghai', 'Etc/GMT-8']) {
      const h = new Harness(fleet({ timezone }));
      around(h);
      expect(h.opened('water.high_use')).toHaveLength(0);
    }
  });
  it('counts the same readings as one day in UTC', () => {
    const h = new Harness(fleet({ timezone: 'UTC' }));
    around(h);
    expect(h.opened('water.high_use')[0]?.reason).toBe('600 L used on 2025-11-20 (local day, UTC); the limit is 500 L a day');
  });
  it('keeps a 25-hour DST day in Europe/Berlin together', () => {
    const h = new Harness(fleet({ timezone: 'Europe/Berlin' }));
    const start = Date.UTC(2025, 9, 25, 22, 30); // 00:30 CEST on 26 Oct
    h.send(water(start, 1000), start);
    h.send(water(Date.UTC(2025, 9, 26, 12), 1300), Date.UTC(2025, 9, 26, 12));
    h.send(water(Date.UTC(2025, 9, 26, 22, 30), 1600), Date.UTC(2025, 9, 26, 22, 30)); // 23:30 CET
    expect(h.opened('water.high_use')[0]?.reason).toContain('600 L used on 2025-10-26');
  });
});

describe('water.meter_fault from the valve state', () => {
  it('raises once per fault episode, not per message', () => {
    const h = new Harness(fleet());
    for (let i = 0; i < 4; i++) h.send(water(T0 + i * 15 * MIN, 100, { valve: 'fault' }), T0 + i * 15 * MIN);
    h.send(water(T0 + H, 100, { valve: 'open' }), T0 + H);
    const a = h.alert('water.meter_fault')!;
    expect(a.count).toBe(1);
    expect(a.state).toBe('open');
    expect(a.timeline.at(-1)?.action).toBe('condition_cleared');
  });
});
