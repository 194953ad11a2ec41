import { EMPTY_ACL, parseAclFile, type AclFile } from './acl-file.parser';
import { mayPublish, mayRead, maySubscribe, resolveAccessRules, type Principal } from './access.policy';

const acl = (text: string): AclFile => {
  const r = parseAclFile(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const device: Principal = { kind: 'device', clientId: 'WM-0001', username: 'WM-0001' };
const service: Principal = { kind: 'service', clientId: 'engine-1', username: 'rules' };
const anon: Principal = { kind: 'anonymous', clientId: 'dash-7' };
const user: Principal = { kind: 'user', clientId: 'board', username: 'li.bin' };

describe('built-in rights (protocol.md, Access control)', () => {
  const d = resolveAccessRules(device, EMPTY_ACL);
  const s = resolveAccessRules(service, EMPTY_ACL);
  it.each([
    ['device', d, 'hb/v1/WM-0001/telemetry', true],
    ['device', d, 'hb/v1/WM-0001/event', true],
    ['device', d, 'hb/v1/WM-0001/status', true],
    ['device', d, 'hb/v1/WM-0001/cmd', false],
    ['device', d, 'hb/v1/WM-0002/telemetry', false],
    ['device', d, 'other/topic', false],
    ['service', s, 'hb/v1/WM-0001/cmd', true],
    ['service', s, 'hb/v1/WM-0001/telemetry', false],
  ])('%s publishes %s: %s', (_who, rules, topic, expected) => {
    expect(mayPublish(rules, topic)).toBe(expected);
  });
  it.each([
    ['device', d, 'hb/v1/WM-0001/cmd', true],
    ['device', d, 'hb/v1/WM-0002/cmd', false],
    ['device', d, 'hb/v1/+/cmd', false],
    ['device', d, 'hb/v1/WM-0001/#', false],
    ['device', d, '#', false],
    ['service', s, 'hb/v1/+/telemetry', true],
    ['service', s, 'hb/v1/#', true],
    ['service', s, 'hb/v1/EL-1/status', true],
    ['service', s, '#', false],
    ['service', s, '$SYS/#', false],
  ])('%s subscribes %s: %s', (_who, rules, filter, expected) => {
    expect(maySubscribe(rules, filter).granted).toBe(expected);
  });
  it('anonymous and other users get nothing without an access file', () => {
    for (const p of [anon, user]) {
      const r = resolveAccessRules(p, EMPTY_ACL);
      expect(mayPublish(r, 'a')).toBe(false);
      expect(maySubscribe(r, 'a')).toEqual({ granted: false, reason: 'not_granted' });
    }
  });
});

describe('access file rules', () => {
  const file = acl(
    [
      'topic read public/#',
      'topic deny public/secret',
      'user li.bin',
      'topic read hb/v1/+/status',
      'user rules',
      'topic deny hb/v1/SA-0009/#',
      'topic write hb/v1/+/telemetry',
      'user WM-0001',
      'topic write hb/v1/WM-0001/diag',
      'pattern readwrite clients/%c/#',
      'pattern read users/%u/inbox',
      'pattern deny hb/v1/%c/event',
    ].join('\n'),
  );
  it.each<[string, Principal, 'pub' | 'sub' | 'read', string, boolean]>([
    ['anonymous reads its section', anon, 'sub', 'public/news', true],
    ['anonymous: deny wins on the exact topic', anon, 'sub', 'public/secret', false],
    ['anonymous: a wider filter reaching a denied topic is refused', anon, 'sub', 'public/#', false],
    ['anonymous: per-message read check honours deny', anon, 'read', 'public/secret', false],
    ['anonymous gets patterns with %c', anon, 'pub', 'clients/dash-7/x', true],
    ['anonymous never gets %u patterns', anon, 'sub', 'users/dash-7/inbox', false],
    ['anonymous cannot use user sections', anon, 'sub', 'hb/v1/+/status', false],
    ['user section grants read', user, 'sub', 'hb/v1/+/status', true],
    ['user section is only what it says', user, 'sub', 'hb/v1/+/telemetry', false],
    ['%u pattern for a user', user, 'sub', 'users/li.bin/inbox', true],
    ['%u pattern is not another user', user, 'sub', 'users/rules/inbox', false],
    ['%c pattern for a user', user, 'pub', 'clients/board/a/b', true],
    ['service: deny narrows the built-in read', service, 'sub', 'hb/v1/SA-0009/event', false],
    ['service: wildcard reaching the denied device is refused', service, 'sub', 'hb/v1/+/event', false],
    ['service: other filters stay granted', service, 'sub', 'hb/v1/WM-0001/telemetry', true],
    ['service: access file adds write', service, 'pub', 'hb/v1/WM-0001/telemetry', true],
    ['device: access file adds a topic', device, 'pub', 'hb/v1/WM-0001/diag', true],
    ['device: pattern deny beats the built-in grant', device, 'pub', 'hb/v1/WM-0001/event', false],
    ['device: built-in telemetry stays', device, 'pub', 'hb/v1/WM-0001/telemetry', true],
  ])('%s', (_name, p, op, topic, expected) => {
    const rules = resolveAccessRules(p, file);
    const result = op === 'pub' ? mayPublish(rules, topic) : op === 'read' ? mayRead(rules, topic) : maySubscribe(rules, topic).granted;
    expect(result).toBe(expected);
  });

  it('names why a subscription was refused', () => {
    expect(maySubscribe(resolveAccessRules(anon, file), 'public/#')).toEqual({ granted: false, reason: 'denied_by_rule' });
    expect(maySubscribe(resolveAccessRules(anon, file), 'x')).toEqual({ granted: false, reason: 'not_granted' });
    expect(maySubscribe(resolveAccessRules(anon, file), 'a/#/b')).toEqual({ granted: false, reason: 'invalid_filter' });
  });

  it('skips substitution for ids holding wildcards or separators (CVE-2017-7650)', () => {
    for (const clientId of ['+', '#', 'a/b']) {
      const rules = resolveAccessRules({ kind: 'anonymous', clientId }, file);
      expect(rules.write.some((f) => f.startsWith('clients/'))).toBe(false);
    }
  });
});
