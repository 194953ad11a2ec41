import { LogThrottle } from './log.throttle';

describe('LogThrottle', () => {
  it('logs the first event, suppresses within the interval, then reports the suppressed count', () => {
    let now = 1_000;
    const t = new LogThrottle(60_000, () => now);
    expect(t.admit('WM-1:not_json')).toEqual({ suppressed: 0 });
    for (let i = 0; i < 99; i++) expect(t.admit('WM-1:not_json')).toBeNull();
    expect(t.admit('WM-2:not_json')).toEqual({ suppressed: 0 }); // keys are independent
    now += 60_000;
    expect(t.admit('WM-1:not_json')).toEqual({ suppressed: 99 });
    expect(t.admit('WM-1:not_json')).toBeNull();
  });
  it('forgets the least recently logged key beyond maxKeys', () => {
    const t = new LogThrottle(60_000, () => 0, 2);
    t.admit('a');
    t.admit('b');
    t.admit('c'); // evicts a
    expect(t.admit('a')).toEqual({ suppressed: 0 });
    expect(t.admit('c')).toBeNull();
  });
});
