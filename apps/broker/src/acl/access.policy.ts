import { DEVICE_PUBLISH_CHANNELS, TOPIC_ROOT, deviceTopic, isValidTopicFilter, topicMatches } from '@hearthbeat/contracts';
import type { AclFile, AclRule } from './acl-file.parser';
import { filterCovers, filtersIntersect } from './topic-filter.algebra';

/**
 * Who a connected client is, as far as access control cares. `device` clients are registry devices
 * (username = client id = device id); `service` users have the registry role service; `user` is any
 * other registry user the access file names in a `user` section; `anonymous` sent no username.
 */
export interface Principal {
  kind: 'device' | 'service' | 'user' | 'anonymous';
  clientId: string;
  username?: string;
}

/** The filters one client may read, write, and is denied; resolved once per connection. */
export interface AccessRules {
  read: readonly string[];
  write: readonly string[];
  deny: readonly string[];
}

export type SubscribeDecision = { granted: true } | { granted: false; reason: 'denied_by_rule' | 'not_granted' | 'invalid_filter' };

/** protocol.md, "Access control": a device publishes only its own telemetry, event and status, reads only its own cmd. */
function builtInRules(p: Principal): { read: string[]; write: string[] } {
  switch (p.kind) {
    case 'device':
      return { read: [deviceTopic(p.clientId, 'cmd')], write: DEVICE_PUBLISH_CHANNELS.map((c) => deviceTopic(p.clientId, c)) };
    case 'service':
      // protocol.md: a service user "may read every device topic"; it sends commands on hb/v1/+/cmd.
      return { read: [`${TOPIC_ROOT}/#`], write: [`${TOPIC_ROOT}/+/cmd`] };
    default:
      return { read: [], write: [] };
  }
}

// CVE-2017-7650: a client id or username holding a wildcard (or a level separator) would widen a
// substituted pattern to other clients' topics, so such patterns are skipped for that client.
const UNSAFE_SUBSTITUTE = /[+#/]/;

function substitute(rule: AclRule, p: Principal): string | null {
  const levels = rule.filter.split('/');
  const out: string[] = [];
  for (const level of levels) {
    if (level === '%c') {
      if (p.clientId === '' || UNSAFE_SUBSTITUTE.test(p.clientId)) return null;
      out.push(p.clientId);
    } else if (level === '%u') {
      // Anonymous clients have no username: a %u pattern never applies to them.
      if (p.username === undefined || p.username === '' || UNSAFE_SUBSTITUTE.test(p.username)) return null;
      out.push(p.username);
    } else {
      out.push(level);
    }
  }
  return out.join('/');
}

/** Built-in rights plus the access file: the client's section (or the anonymous one) and every pattern. */
export function resolveAccessRules(p: Principal, acl: AclFile): AccessRules {
  const { read, write } = builtInRules(p);
  const deny: string[] = [];
  const section = p.username === undefined ? acl.anonymous : (acl.users.get(p.username) ?? []);
  const add = (access: AclRule['access'], filter: string) => {
    if (access === 'deny') deny.push(filter);
    if (access === 'read' || access === 'readwrite') read.push(filter);
    if (access === 'write' || access === 'readwrite') write.push(filter);
  };
  for (const rule of section) add(rule.access, rule.filter);
  for (const rule of acl.patterns) {
    const filter = substitute(rule, p);
    if (filter !== null) add(rule.access, filter);
  }
  return { read, write, deny };
}

/** PUBLISH of a concrete topic: some write grant matches and no deny matches (deny wins). */
export function mayPublish(rules: AccessRules, topic: string): boolean {
  if (rules.deny.some((f) => topicMatches(f, topic))) return false;
  return rules.write.some((f) => topicMatches(f, topic));
}

/** Delivery of a concrete topic to a subscriber: some read grant matches and no deny matches. */
export function mayRead(rules: AccessRules, topic: string): boolean {
  if (rules.deny.some((f) => topicMatches(f, topic))) return false;
  return rules.read.some((f) => topicMatches(f, topic));
}

/**
 * SUBSCRIBE: granted only when one read grant covers the whole filter and no deny rule shares a
 * single topic with it. A subscription that would reach a denied topic is refused outright (SUBACK
 * 0x80) rather than granted with holes, so a subscriber learns it is not seeing everything it asked for.
 */
export function maySubscribe(rules: AccessRules, filter: string): SubscribeDecision {
  if (!isValidTopicFilter(filter)) return { granted: false, reason: 'invalid_filter' };
  if (rules.deny.some((d) => filtersIntersect(d, filter))) return { granted: false, reason: 'denied_by_rule' };
  if (!rules.read.some((g) => filterCovers(g, filter))) return { granted: false, reason: 'not_granted' };
  return { granted: true };
}
