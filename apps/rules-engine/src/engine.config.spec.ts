import { ConfigError } from '@hearthbeat/config';
import { loadEngineConfig } from './engine.config';

const DAY = 24 * 3600 * 1000;

describe('loadEngineConfig: HB_EVENTS_RETAIN_DAYS', () => {
  it('keeps events 90 days unless told otherwise', () => {
    expect(loadEngineConfig({}).eventsRetainMs).toBe(90 * DAY);
    expect(loadEngineConfig({ HB_EVENTS_RETAIN_DAYS: '30' }).eventsRetainMs).toBe(30 * DAY);
    expect(loadEngineConfig({ HB_EVENTS_RETAIN_DAYS: '1' }).eventsRetainMs).toBe(DAY);
  });

  it.each([
    ['0', '0 is out of range 1..3650'],
    ['-7', '-7 is out of range 1..3650'],
    ['3651', '3651 is out of range 1..3650'],
    ['1.5', 'expected an integer, got "1.5"'],
    ['90d', 'expected an integer, got "90d"'],
  ])('refuses %s, naming the variable', (value, why) => {
    const load = () => loadEngineConfig({ HB_EVENTS_RETAIN_DAYS: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`HB_EVENTS_RETAIN_DAYS: ${why}`);
  });
});
