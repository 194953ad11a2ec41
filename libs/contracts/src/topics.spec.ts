import { ALL_DEVICES_FILTERS, deviceTopic, isValidTopicFilter, parseTopic, topicMatches } from './topics';

describe('topics', () => {
  it('builds and parses device topics', () => {
    expect(deviceTopic('WM-0001', 'telemetry')).toBe('hb/v1/WM-0001/telemetry');
    expect(parseTopic('hb/v1/WM-0001/event')).toEqual({ deviceId: 'WM-0001', channel: 'event' });
    expect(() => deviceTopic('bad/id', 'event')).toThrow(RangeError);
  });
  it.each(['hb/v1/WM-1/other', 'hb/v2/WM-1/event', 'hb/v1/-x/event', 'hb/v1/WM-1/event/extra', 'hb/v1//event'])('rejects %s', (t) => {
    expect(parseTopic(t)).toBeNull();
  });
  it.each([
    ['hb/v1/+/telemetry', 'hb/v1/A/telemetry', true],
    ['hb/v1/+/telemetry', 'hb/v1/A/event', false],
    ['hb/#', 'hb', true],
    ['hb/#', 'hb/v1/A/cmd', true],
    ['+/+', '/x', true],
    ['#', '$SYS/broker', false],
    ['hb/v1/A', 'hb/v1/A/cmd', false],
  ] as const)('%s matches %s: %s', (f, t, expected) => {
    expect(topicMatches(f, t)).toBe(expected);
  });
  it('validates filters', () => {
    expect(isValidTopicFilter('a/#')).toBe(true);
    expect(isValidTopicFilter('a/#/b')).toBe(false);
    expect(isValidTopicFilter('a/b+')).toBe(false);
    expect(ALL_DEVICES_FILTERS).toEqual(['hb/v1/+/telemetry', 'hb/v1/+/event', 'hb/v1/+/status']);
  });
});
