import type { Alert } from '@hearthbeat/contracts';
import type { DeviceRecord } from '@hearthbeat/registry';
import type { AuthUser } from './auth.types';
import { recorded } from '../store/recorded-event';
import { ScopePolicy } from './scope.policy';

const lift: DeviceRecord = { id: 'EL-1', kind: 'elevator', reportIntervalS: 30, subject: { type: 'elevator', id: 'E-1', site: 'a' } };
const registry = { getDevice: (id: string) => (id === lift.id ? lift : undefined) };
const policy = new ScopePolicy(registry);
const user = (role: AuthUser['role'], sites = ['a']): AuthUser => ({ id: role, role, sites, sessionId: 's', expiresAt: 0 });
const alert = (over: Partial<Alert>): Alert => ({
  id: 'AL-1',
  site: 'a',
  rule: 'device.low_battery',
  state: 'open',
  severity: 'low',
  subject: { type: 'device', id: 'EL-1' },
  openedAt: 0,
  lastSeenAt: 0,
  count: 1,
  reason: '',
  escalationLevel: 0,
  timeline: [],
  ...over,
});

describe('ScopePolicy', () => {
  it('gives a device alert the site and kind of the subject owning the device', () => {
    const a = alert({});
    expect(policy.seesAlert(user('maintainer'), a)).toBe(true);
    expect(policy.seesAlert(user('staff'), a)).toBe(false);
    expect(policy.seesAlert(user('maintainer', ['b']), a)).toBe(false);
    expect(policy.seesAlert(user('admin', []), a)).toBe(true);
  });

  it('lets the role an alert escalated to see it at its site', () => {
    const a = alert({ rule: 'elevator.entrapment', subject: { type: 'elevator', id: 'E-1' }, timeline: [{ n: 1, at: 1, by: 'system', action: 'escalated', details: { level: 1, target: 'supervisor' } }] });
    expect(policy.seesAlert(user('supervisor'), a)).toBe(true);
    expect(policy.seesAlert(user('supervisor', ['b']), a)).toBe(false);
    expect(policy.seesAlert(user('staff'), a)).toBe(false);
  });

  it('judges a stored alert event (no timeline) by the roles it had been escalated to when it was stored', () => {
    const entry = { n: 2, at: 2, by: 'system', action: 'escalated' as const, details: { level: 1, target: 'supervisor' } };
    const before = alert({ rule: 'elevator.entrapment', subject: { type: 'elevator', id: 'E-1' }, timeline: [{ n: 1, at: 1, by: 'system', action: 'opened' }] });
    const after = { ...before, timeline: [...before.timeline, entry] };
    const opened = recorded({ type: 'alert', change: 'opened', at: 1, alert: before, entry: before.timeline[0]! });
    const escalated = recorded({ type: 'alert', change: 'escalated', at: 2, alert: after, entry, target: 'supervisor' });
    expect(opened.type === 'alert' && opened.alert).not.toHaveProperty('timeline');
    expect(escalated).toMatchObject({ escalatedTo: ['supervisor'] });
    expect(policy.seesEvent(user('supervisor'), opened)).toBe(false);
    expect(policy.seesEvent(user('supervisor'), escalated)).toBe(true);
    expect(policy.seesEvent(user('supervisor', ['b']), escalated)).toBe(false);
    expect(policy.seesEvent(user('staff'), escalated)).toBe(false);
    expect(policy.seesEvent(user('maintainer'), opened)).toBe(true);
    // A row stored before (with the timeline, without escalatedTo) is judged by its timeline.
    expect(policy.seesEvent(user('supervisor'), { type: 'alert', change: 'escalated', at: 2, alert: after, entry })).toBe(true);
  });
});
