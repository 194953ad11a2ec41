import { RejectionTable } from './rejection.table';

describe('RejectionTable', () => {
  it('counts per device and reason, keeping the latest message and time', () => {
    const t = new RejectionTable();
    t.record('WM-2', { reason: 'not_json', message: 'payload is not JSON: "x"' }, 10);
    t.record('WM-1', { reason: 'out_of_range', message: 'batteryPct 101' }, 11);
    t.record('WM-1', { reason: 'out_of_range', message: 'batteryPct 150' }, 12);
    t.record('WM-1', { reason: 'not_json', message: 'nope' }, 13);
    expect(t.list()).toEqual([
      { deviceId: 'WM-1', reason: 'not_json', count: 1, lastMessage: 'nope', lastAt: 13 },
      { deviceId: 'WM-1', reason: 'out_of_range', count: 2, lastMessage: 'batteryPct 150', lastAt: 12 },
      { deviceId: 'WM-2', reason: 'not_json', count: 1, lastMessage: 'payload is not JSON: "x"', lastAt: 10 },
    ]);
    expect(t.list('WM-2')).toHaveLength(1);
  });
  it('hands out copies', () => {
    const t = new RejectionTable();
    t.record('WM-1', { reason: 'not_json', message: 'a' }, 1);
    const [row] = t.list();
    if (row) row.count = 99;
    expect(t.list()[0]?.count).toBe(1);
    t.clear();
    expect(t.list()).toEqual([]);
  });
});
