import { colourIndex, stepColour } from './risk-colour';
import { fleet, H, Harness, liftEvent, MIN, smoke, T0, water } from '../test-support/harness.test-helpers';

const D = 24 * H;

describe('risk colour (pure)', () => {
  it('maps open alerts and history to a level', () => {
    expect(colourIndex([], 0, -1)).toBe(0);
    expect(colourIndex([], 1, 0)).toBe(1);
    expect(colourIndex([], 3, 0)).toBe(2);
    expect(colourIndex([], 1, 3)).toBe(2);
    expect(colourIndex([{ severity: 'low', escalationLevel: 0 }], 0, -1)).toBe(1);
    expect(colourIndex([{ severity: 'medium', escalationLevel: 0 }], 0, -1)).toBe(2);
    expect(colourIndex([{ severity: 'medium', escalationLevel: 1 }], 0, -1)).toBe(3);
    expect(colourIndex([{ severity: 'high', escalationLevel: 0 }], 0, -1)).toBe(3);
    expect(colourIndex([{ severity: 'high', escalationLevel: 1 }], 0, -1)).toBe(4);
    expect(colourIndex([{ severity: 'critical', escalationLevel: 0 }], 0, -1)).toBe(4);
  });
  it('steps up at once and down one colour per hold period', () => {
    expect(stepColour(1, 4, undefined, 0, 10)).toEqual({ index: 4, holdFrom: undefined });
    expect(stepColour(4, 0, undefined, 100, 10)).toEqual({ index: 4, holdFrom: 100 });
    expect(stepColour(4, 0, 100, 109, 10)).toEqual({ index: 4, holdFrom: 100 });
    expect(stepColour(4, 0, 100, 110, 10)).toEqual({ index: 3, holdFrom: 110 });
    expect(stepColour(1, 0, 100, 110, 10)).toEqual({ index: 0, holdFrom: undefined });
  });
});

describe('risk colour per subject, by deadline', () => {
  const colours = (h: Harness, id: string) => h.events.flatMap((e) => (e.type === 'risk' && e.subject.id === id ? [[(e.at - T0) / H, e.colour]] : []));

  it('a fire turns the resident red at once; after resolution it steps down every 6 h and fades with the 7-day history', () => {
    const h = new Harness(fleet({ waterIntervalS: 3600 }));
    h.send(smoke(T0, 'alarm'), T0);
    expect(h.core.riskOf({ type: 'resident', id: 'R-1' })).toBe('red');
    const id = h.opened('smoke.alarm')[0]!.id;
    h.record(h.core.resolve(id, 'false_alarm', 'toast', 'wang', T0 + H));
    expect(h.core.riskOf({ type: 'resident', id: 'R-1' })).toBe('red');
    for (let t = T0; t <= T0 + 8 * D; t += H) {
      h.send(smoke(t), t); // heartbeats keep the detector online
      h.send(water(t, 100 + (t - T0) / H * 20), t);
    }
    expect(colours(h, 'R-1')).toEqual([
      [0, 'red'],
      [7, 'orange'],
      [13, 'yellow'],
      // The critical alert leaves the 7-day history at 168 h (+1 ms): the hold clock starts then.
      [7 * 24 + 6 + 1 / H, 'blue'],
      [7 * 24 + 12 + 1 / H, 'green'],
    ]);
  });

  it('escalation raises the colour: an unacknowledged high alert goes from orange to red', () => {
    const h = new Harness();
    h.send(liftEvent(T0, 'door_lock_fault'), T0);
    expect(h.core.riskOf({ type: 'elevator', id: 'E-1' })).toBe('orange');
    h.advance(T0 + 15 * MIN);
    expect(h.core.riskOf({ type: 'elevator', id: 'E-1' })).toBe('red');
    expect(h.core.riskOf({ type: 'resident', id: 'R-1' })).toBe('green');
  });

  it("device alerts count towards their owner's colour", () => {
    const h = new Harness(fleet());
    h.send(smoke(T0, 'low_battery'), T0);
    expect(h.opened('device.low_battery')[0]?.subject).toEqual({ type: 'device', id: 'SA-1' });
    expect(h.core.riskOf({ type: 'resident', id: 'R-1' })).toBe('blue');
  });
});
