import { ElevatorActivityTracker, splitInterval, type ElevatorSample } from './elevator-activity.tracker';

const s = (ts: number, patch: Partial<ElevatorSample> = {}): ElevatorSample => ({ ts, floor: 1, direction: 'stopped', door: 'closed', mode: 'normal', power: 'mains', ...patch });

describe('ElevatorActivityTracker', () => {
  it('counts a trip from stopped to stopped at another floor, stamped at arrival; re-levelling is no trip', () => {
    const t = new ElevatorActivityTracker();
    expect(t.push(s(0, { floor: 1 }))).toEqual([]);
    expect(t.push(s(2_000, { floor: 1, direction: 'up' }))).toEqual([]);
    expect(t.push(s(4_000, { floor: 2, direction: 'up' }))).toEqual([]);
    expect(t.push(s(6_000, { floor: 3 }))).toEqual([{ type: 'trip', ts: 6_000, fromFloor: 1, toFloor: 3, durationMs: 4_000 }]);
    t.push(s(8_000, { floor: 3, direction: 'down' }));
    expect(t.push(s(9_000, { floor: 3 }))).toEqual([]);
  });

  it('counts no trip when it never saw the car stopped before the run', () => {
    const t = new ElevatorActivityTracker();
    t.push(s(0, { floor: 4, direction: 'down' }));
    expect(t.push(s(2_000, { floor: 2 }))).toEqual([]);
  });

  it('counts a door cycle when a door seen opening or open is closed again', () => {
    const t = new ElevatorActivityTracker();
    t.push(s(0));
    t.push(s(1_000, { door: 'opening' }));
    t.push(s(3_000, { door: 'open' }));
    t.push(s(8_000, { door: 'closing' }));
    expect(t.push(s(10_000, { door: 'closed' }))).toEqual([{ type: 'door_cycle', ts: 10_000, openMs: 9_000 }]);
    expect(t.push(s(20_000, { door: 'closed' }))).toEqual([]);
  });

  it('counts downtime while out of service, in maintenance or without power, and silences beyond the limit as offline', () => {
    const t = new ElevatorActivityTracker(60_000);
    t.push(s(0, { mode: 'out_of_service' }));
    expect(t.push(s(30_000, { power: 'off', mode: 'maintenance' }))).toEqual([{ type: 'downtime', from: 0, to: 30_000, reason: 'out_of_service' }]);
    expect(t.push(s(60_000))).toEqual([{ type: 'downtime', from: 30_000, to: 60_000, reason: 'power_off' }]);
    expect(t.push(s(120_000))).toEqual([]); // exactly the limit: not yet offline
    expect(t.push(s(180_001))).toEqual([{ type: 'downtime', from: 120_000, to: 180_001, reason: 'offline' }]);
  });

  it('ignores samples that are not newer than the last one (redeliveries, stragglers)', () => {
    const t = new ElevatorActivityTracker();
    t.push(s(10_000, { floor: 1 }));
    t.push(s(12_000, { direction: 'up' }));
    expect(t.push(s(12_000, { direction: 'up' }))).toEqual([]);
    expect(t.push(s(5_000, { floor: 9 }))).toEqual([]);
    expect(t.staleSamples).toBe(2);
    expect(t.push(s(14_000, { floor: 2 }))).toHaveLength(1);
  });

  it('splits an interval at slot boundaries', () => {
    expect(splitInterval(50, 250, 100)).toEqual([
      [50, 100],
      [100, 200],
      [200, 250],
    ]);
    expect(splitInterval(100, 100, 100)).toEqual([]);
  });
});
