import type { AlertView } from '../api/schemas';
import type { AlertPush } from '../live/messages';
import { compareUrgency } from './alertOrder';
import { AlertStore } from './alertStore';

const base: AlertView = {
  id: 'AL-1',
  rule: 'smoke.alarm',
  state: 'open',
  severity: 'critical',
  subject: { type: 'resident', id: 'R-1' },
  site: 's',
  openedAt: 1000,
  lastSeenAt: 1000,
  count: 1,
  reason: '',
  escalationLevel: 0,
};
const a = (over: Partial<AlertView>): AlertView => ({ ...base, ...over });
const push = (alert: AlertView, seq = 1): AlertPush => ({ type: 'alert', seq, change: 'updated', at: seq, alert });
const unresolved = (x: AlertView) => x.state !== 'resolved';

describe('AlertStore', () => {
  it('applies pushes held during a load on top of the snapshot, so an older snapshot never undoes a newer push', () => {
    const store = new AlertStore();
    store.beginLoad();
    // The push (acknowledged) arrives first; the snapshot, computed just before it, still says open.
    expect(store.push(push(a({ state: 'acknowledged', acknowledgedBy: 'li.bin' })))).toBe(false);
    store.endLoad([a({})], unresolved);
    expect(store.get('AL-1')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'li.bin' });
  });

  it('a snapshot removes unresolved alerts it no longer lists, and keeps resolved ones', () => {
    const store = new AlertStore();
    store.endLoad([a({ id: 'AL-1' }), a({ id: 'AL-2' })], unresolved);
    store.push(push(a({ id: 'AL-3', state: 'resolved', resolvedAt: 5 })));
    store.beginLoad();
    store.endLoad([a({ id: 'AL-2' })], unresolved);
    expect(store.all().map((x) => x.id).sort()).toEqual(['AL-2', 'AL-3']);
  });

  it('a failed load still applies what was pushed meanwhile', () => {
    const store = new AlertStore();
    store.beginLoad();
    store.push(push(a({ id: 'AL-9' })));
    store.abortLoad();
    expect(store.get('AL-9')).toBeDefined();
  });

  it('merging history never overwrites a live alert; pruning forgets old resolved ones', () => {
    const store = new AlertStore();
    store.push(push(a({ id: 'AL-1', state: 'acknowledged' })));
    store.merge([a({ id: 'AL-1', state: 'open' }), a({ id: 'AL-0', state: 'resolved', resolvedAt: 10 })]);
    expect(store.get('AL-1')?.state).toBe('acknowledged');
    const before = store.revision;
    store.prune(100);
    expect(store.get('AL-0')).toBeUndefined();
    expect(store.revision).toBeGreaterThan(before);
  });
});

describe('most urgent first', () => {
  it('orders by severity, then unacknowledged, then the subject colour, then age', () => {
    const colours: Record<string, 'red' | 'yellow'> = { 'R-red': 'red', 'R-yellow': 'yellow' };
    const list = [
      a({ id: 'high-old', severity: 'high', openedAt: 1 }),
      a({ id: 'crit-acked', state: 'acknowledged', openedAt: 1 }),
      a({ id: 'crit-yellow', subject: { type: 'resident', id: 'R-yellow' }, openedAt: 1 }),
      a({ id: 'crit-red-new', subject: { type: 'resident', id: 'R-red' }, openedAt: 50 }),
      a({ id: 'crit-red-old', subject: { type: 'resident', id: 'R-red' }, openedAt: 10 }),
    ];
    list.sort(compareUrgency((x) => colours[x.subject.id]));
    expect(list.map((x) => x.id)).toEqual(['crit-red-old', 'crit-red-new', 'crit-yellow', 'crit-acked', 'high-old']);
  });

  it('a re-opened alert counts from its re-opening', () => {
    const list = [a({ id: 'reopened', openedAt: 1, reopenedAt: 100 }), a({ id: 'steady', openedAt: 50 })];
    list.sort(compareUrgency(() => undefined));
    expect(list.map((x) => x.id)).toEqual(['steady', 'reopened']);
  });

  it('a late answer to an earlier action never brings back an older state (the resolution\'s push overtook the acknowledgement\'s answer)', () => {
    const store = new AlertStore();
    store.endLoad([a({})], unresolved);
    const at = (n: number, action: string) => ({ n, at: 1000 + n, by: 'li.bin', action });
    // Live: acknowledged (entry 1), then resolved (entry 2); the answer to the acknowledgement comes last.
    expect(store.push({ ...push(a({ state: 'acknowledged' }), 2), entry: at(1, 'acknowledged') })).toBe(true);
    expect(store.push({ ...push(a({ state: 'resolved', outcome: 'false_alarm' }), 3), entry: at(2, 'resolved') })).toBe(true);
    expect(store.push({ ...push(a({ state: 'acknowledged' }), 0), entry: at(1, 'acknowledged') })).toBe(false);
    expect(store.get('AL-1')).toMatchObject({ state: 'resolved', outcome: 'false_alarm' });
    // The same position again (an answer and its own push) and anything newer apply.
    expect(store.push({ ...push(a({ state: 'resolved', outcome: 'false_alarm', assignee: 'x' }), 0), entry: at(2, 'resolved') })).toBe(true);
    expect(store.push({ ...push(a({ state: 'open', count: 2 }), 4), entry: at(3, 'reopened') })).toBe(true);
    expect(store.get('AL-1')).toMatchObject({ state: 'open', count: 2 });
  });

  it('a snapshot\'s alerts have no known position: the next change applies whatever its entry', () => {
    const store = new AlertStore();
    store.push({ ...push(a({ state: 'acknowledged' }), 2), entry: { n: 5, at: 1, by: 'x', action: 'acknowledged' } });
    store.beginLoad();
    store.endLoad([a({ state: 'open', count: 3 })], unresolved);
    expect(store.push({ ...push(a({ state: 'acknowledged', count: 3 }), 3), entry: { n: 4, at: 2, by: 'x', action: 'acknowledged' } })).toBe(true);
    expect(store.get('AL-1')).toMatchObject({ state: 'acknowledged', count: 3 });
  });
});
