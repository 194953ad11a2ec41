import { InvalidAwayPeriodError, SubjectNotFoundError } from '../errors';
import { fleet, H, Harness, MIN, T0, water } from '../test-support/harness.test-helpers';

const onlineMeter = { 'water.meter_offline': { afterS: 48 * 3600 } };

describe('away periods (domain.md: absence is the main source of false alarms)', () => {
  it('a registry away period suppresses no-activity, expires by itself, and the first use is a welcome back', () => {
    const h = new Harness(fleet({ residentRules: onlineMeter, away: [{ from: T0 + H, to: T0 + 30 * H, note: 'staying with daughter' }] }));
    h.send(water(T0, 100), T0);
    h.advance(T0 + 30 * H);
    expect(h.opened('water.no_activity')).toHaveLength(0);
    expect(h.events.find((e) => e.type === 'away')).toMatchObject({ change: 'expired', at: T0 + 30 * H, away: { note: 'staying with daughter' } });
    h.send(water(T0 + 31 * H, 112), T0 + 31 * H);
    const wb = h.events.find((e) => e.type === 'welcome_back');
    expect(wb).toMatchObject({ subject: { type: 'resident', id: 'R-1' }, usedAt: T0 + 31 * H, liters: 12, deviceId: 'WM-1' });
    expect(wb?.type === 'welcome_back' && wb.message).toBe('Welcome back: 12 L of water used at 07:00, 1 h after the away period ended');
    h.advance(T0 + 60 * H);
    expect(h.opened('water.away_return_missing')).toHaveLength(0);
    // Normal watching resumes after the welcome back: 12 h after the last use.
    expect(h.opened('water.no_activity').map((a) => a.openedAt)).toEqual([T0 + 43 * H]);
  });

  it('no use within graceS after an away period raises water.away_return_missing (safety: use only adds evidence)', () => {
    const h = new Harness(fleet({ residentRules: onlineMeter }));
    h.send(water(T0, 100), T0);
    h.record(h.core.addAway('R-1', { from: T0 + H, to: T0 + 10 * H, note: 'hospital check-up' }, 'wang', T0 + H));
    h.record(h.core.endAway('R-1', undefined, 'wang', T0 + 5 * H));
    expect(h.core.awayOf('R-1')[0]).toMatchObject({ to: T0 + 5 * H, ended: true, source: 'api', by: 'wang' });
    h.advance(T0 + 17 * H);
    const [a] = h.opened('water.away_return_missing');
    expect(a).toMatchObject({ openedAt: T0 + 17 * H, severity: 'high' });
    expect(a?.reason).toBe('Away period ("hospital check-up") ended 05:00; no water used in the 12 h since');
    expect(h.opened('water.no_activity')).toHaveLength(0);
    h.send(water(T0 + 18 * H, 105), T0 + 18 * H);
    const after = h.core.getAlert(a!.id)!;
    expect(after.state).toBe('open');
    expect(after.timeline.at(-1)).toMatchObject({ action: 'evidence', details: { liters: 5 } });
    expect(h.events.filter((e) => e.type === 'welcome_back')).toHaveLength(1);
  });

  it('a no-activity deadline falling inside an away period stays quiet', () => {
    const h = new Harness(fleet({ residentRules: onlineMeter }));
    h.send(water(T0, 100), T0);
    h.record(h.core.addAway('R-1', { from: T0 + 2 * H, to: T0 + 20 * H }, 'wang', T0 + 2 * H));
    h.advance(T0 + 19 * H);
    expect(h.opened('water.no_activity')).toHaveLength(0);
  });

  it('refuses bad periods and unknown residents with named errors', () => {
    const h = new Harness();
    expect(() => h.core.addAway('R-404', { from: T0, to: T0 + H }, 'wang', T0)).toThrow(SubjectNotFoundError);
    expect(() => h.core.addAway('R-1', { from: T0 + H, to: T0 }, 'wang', T0)).toThrow(InvalidAwayPeriodError);
    expect(() => h.core.addAway('R-1', { from: T0 - 2 * H, to: T0 - H }, 'wang', T0)).toThrow(InvalidAwayPeriodError);
    expect(() => h.core.endAway('R-1', undefined, 'wang', T0)).toThrow(InvalidAwayPeriodError);
    // A period that has not begun is removed rather than ended.
    h.record(h.core.addAway('R-1', { from: T0 + 5 * H, to: T0 + 9 * H }, 'wang', T0));
    h.record(h.core.endAway('R-1', `api:${T0 + 5 * H}-${T0 + 9 * H}`, 'wang', T0 + MIN));
    expect(h.core.awayOf('R-1')).toEqual([]);
    expect(h.events.filter((e) => e.type === 'away').map((e) => e.type === 'away' && e.change)).toEqual(['added', 'removed']);
  });
});
