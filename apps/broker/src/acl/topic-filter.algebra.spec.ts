import { topicMatches } from '@hearthbeat/contracts';
import { filterCovers, filtersIntersect } from './topic-filter.algebra';

describe('filterCovers', () => {
  it.each([
    ['hb/v1/#', 'hb/v1/+/telemetry', true],
    ['hb/v1/#', 'hb/v1', true],
    ['hb/v1/#', 'hb/v1/#', true],
    ['#', 'a/b/c', true],
    ['+/+', 'a/+', true],
    ['hb/v1/+/cmd', 'hb/v1/WM-1/cmd', true],
    ['hb/v1/WM-1/cmd', 'hb/v1/WM-1/cmd', true],
    ['hb/v1/+/cmd', 'hb/v1/#', false],
    ['hb/v1/+/cmd', 'hb/v1/+/+', false],
    ['hb/v1/WM-1/cmd', 'hb/v1/+/cmd', false],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['#', '$SYS/broker', false],
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker', true],
    ['a/#', 'b/#', false],
    ['a/+/c', 'a/#', false],
    ['bad/#/x', 'bad/a/x', false],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(filterCovers(outer, inner)).toBe(expected);
  });
});

describe('filtersIntersect', () => {
  it.each([
    ['hb/v1/SA-1/#', 'hb/v1/+/event', true],
    ['hb/v1/SA-1/#', 'hb/v1/#', true],
    ['a/#', 'a', true],
    ['a', 'a/#', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b/c', false],
    ['a/+/c', 'a/b/+', true],
    ['+', '$SYS', false],
    ['#', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
  ])('%s intersects %s: %s', (a, b, expected) => {
    expect(filtersIntersect(a, b)).toBe(expected);
    expect(filtersIntersect(b, a)).toBe(expected);
  });

  // Cross-check against the contracts' matcher on a small universe of topics: covers means every
  // matched topic is matched by the outer filter; intersects means some topic is matched by both.
  const topics = ['a', 'a/b', 'a/c', 'a/b/c', 'a/b/d', 'b', 'b/b', '$SYS/x', '$SYS', 'hb/v1/X/cmd', 'a/b/c/d'];
  const filters = ['#', '+', 'a', 'a/#', 'a/+', 'a/b', 'a/+/c', 'a/b/#', '+/b', '$SYS/#', 'hb/v1/+/cmd', '+/+/+'];
  it('agrees with topicMatches on a finite universe', () => {
    for (const f of filters) {
      for (const g of filters) {
        const inG = topics.filter((t) => topicMatches(g, t));
        const both = topics.some((t) => topicMatches(f, t) && topicMatches(g, t));
        if (filterCovers(f, g)) expect(inG.every((t) => topicMatches(f, t))).toBe(true);
        if (both) expect(filtersIntersect(f, g)).toBe(true);
      }
    }
  });
});
