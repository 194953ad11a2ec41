import { isValidTopicFilter } from '@hearthbeat/contracts';

/**
 * Set relations between MQTT topic filters, for access checks on SUBSCRIBE. A filter stands for the set
 * of topic names it matches ([MQTT-4.7]); `topicMatches` in the contracts answers "is this topic in the
 * set", these answer "is one set inside the other" and "do two sets share a topic".
 */

const startsWithWildcard = (levels: readonly string[]): boolean => levels[0] === '+' || levels[0] === '#';
const startsWithDollar = (levels: readonly string[]): boolean => (levels[0] ?? '').startsWith('$');

/**
 * True when every topic `inner` can match is also matched by `outer`, e.g. `hb/v1/#` covers
 * `hb/v1/+/telemetry`, while `hb/v1/+/cmd` does not cover `hb/v1/#`. Both must be valid filters.
 */
export function filterCovers(outer: string, inner: string): boolean {
  if (!isValidTopicFilter(outer) || !isValidTopicFilter(inner)) return false;
  const o = outer.split('/');
  const i = inner.split('/');
  // [MQTT-4.7.2-1]: a filter starting with a wildcard matches no topic starting with `$`, so it
  // cannot cover a filter that names a `$` level literally.
  if (startsWithWildcard(o) && startsWithDollar(i)) return false;
  for (let k = 0; k < o.length; k++) {
    const ol = o[k] as string;
    // `#` also matches the parent level ([MQTT-4.7.1-2]), so `a/#` covers `a` as well.
    if (ol === '#') return true;
    if (k >= i.length) return false;
    const il = i[k] as string;
    if (il === '#') return false;
    if (ol === '+') continue;
    if (il === '+' || il !== ol) return false;
  }
  return o.length === i.length;
}

/** True when at least one topic name is matched by both filters. Both must be valid filters. */
export function filtersIntersect(a: string, b: string): boolean {
  if (!isValidTopicFilter(a) || !isValidTopicFilter(b)) return false;
  const x = a.split('/');
  const y = b.split('/');
  // [MQTT-4.7.2-1]: the shared topic would have to start with `$`, which a leading wildcard never matches.
  if ((startsWithWildcard(x) && startsWithDollar(y)) || (startsWithWildcard(y) && startsWithDollar(x))) return false;
  const n = Math.max(x.length, y.length);
  for (let k = 0; k < n; k++) {
    const xl = x[k];
    const yl = y[k];
    if (xl === '#' || yl === '#') return true;
    // One filter ended: the other may only go on with a `#` that also matches the parent level.
    if (xl === undefined || yl === undefined) return false;
    if (xl !== '+' && yl !== '+' && xl !== yl) return false;
  }
  return true;
}
