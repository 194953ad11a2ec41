import { InvalidTransitionError } from '../errors';
import { fleet, H, Harness, lift, MIN, S, smoke, T0 } from '../test-support/harness.test-helpers';
import { rescuedAt, responseEpisodes } from './response-times';

describe('on site and response episodes', () => {
  it('on-site acknowledges an open alert, is a no-op when the same person repeats it, and is refused once resolved', () => {
    const h = new Harness();
    h.send(smoke(T0, 'alarm'), T0);
    const id = h.core.alerts()[0]!.id;
    h.record(h.core.onSite(id, 'li.bin', T0 + 7 * MIN, 'at the door'));
    expect(h.core.onSite(id, 'li.bin', T0 + 8 * MIN)).toEqual([]);
    h.record(h.core.onSite(id, 'wu.fang', T0 + 9 * MIN));
    const a = h.core.getAlert(id)!;
    expect(a).toMatchObject({ state: 'acknowledged', acknowledgedAt: T0 + 7 * MIN, onSiteAt: T0 + 7 * MIN, onSiteBy: 'li.bin' });
    expect(a.nextEscalationAt).toBeUndefined();
    expect(a.timeline.map((e) => `${e.by}:${e.action}`)).toEqual(['system:opened', 'li.bin:acknowledged', 'li.bin:on_site', 'wu.fang:on_site']);
    expect(h.changes(id)).toEqual(['opened', 'acknowledged', 'on_site', 'on_site']);
    h.record(h.core.resolve(id, 'safe', 'cooking', 'li.bin', T0 + 20 * MIN));
    expect(() => h.core.onSite(id, 'li.bin', T0 + 21 * MIN)).toThrow(InvalidTransitionError);
  });

  it('splits an alert into episodes at re-openings and measures each from its own start', () => {
    const reg = fleet({ siteRules: { 'smoke.alarm': { cooldownS: 3600 } } });
    const h = new Harness(reg);
    h.send(smoke(T0, 'alarm'), T0);
    const id = h.core.alerts()[0]!.id;
    h.record(h.core.acknowledge(id, 'li.bin', T0 + 2 * MIN));
    h.record(h.core.onSite(id, 'li.bin', T0 + 11 * MIN));
    h.record(h.core.resolve(id, 'false_alarm', 'toast', 'li.bin', T0 + 15 * MIN));
    h.send(smoke(T0 + 30 * MIN, 'alarm'), T0 + 30 * MIN);
    h.record(h.core.assign(id, 'wu.fang', 'chen.sup', T0 + 34 * MIN));
    const eps = responseEpisodes(h.core.getAlert(id)!);
    expect(eps).toHaveLength(2);
    expect(eps[0]).toMatchObject({ start: T0, acknowledgedAt: T0 + 2 * MIN, onSiteAt: T0 + 11 * MIN, resolvedAt: T0 + 15 * MIN, resolvedBy: 'li.bin', outcome: 'false_alarm', firstResponseAt: T0 + 2 * MIN });
    expect(eps[1]).toMatchObject({ start: T0 + 30 * MIN, acknowledgedAt: T0 + 34 * MIN, acknowledgedBy: 'chen.sup', assignee: 'wu.fang' });
    expect(eps[1]?.resolvedAt).toBeUndefined();
  });

  it('an entrapment counts as rescued when the rescuer is on site, else at a `rescued` resolution', () => {
    const h = new Harness();
    h.send(lift(T0, { occupied: true }), T0);
    h.advance(T0 + 30 * S);
    const id = h.core.alerts().find((a) => a.rule === 'elevator.entrapment')!.id;
    h.record(h.core.resolve(id, 'rescued', 'released', 'lift.tech', T0 + 40 * MIN));
    expect(rescuedAt(responseEpisodes(h.core.getAlert(id)!)[0]!)).toBe(T0 + 40 * MIN);
    const h2 = new Harness();
    h2.send(lift(T0, { occupied: true }), T0);
    h2.advance(T0 + 30 * S);
    const id2 = h2.core.alerts().find((a) => a.rule === 'elevator.entrapment')!.id;
    h2.record(h2.core.onSite(id2, 'lift.tech', T0 + 14 * MIN));
    h2.record(h2.core.resolve(id2, 'rescued', 'released', 'lift.tech', T0 + H));
    expect(rescuedAt(responseEpisodes(h2.core.getAlert(id2)!)[0]!)).toBe(T0 + 14 * MIN);
  });
});
