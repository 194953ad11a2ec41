import { LoginThrottle } from './login.throttle';

describe('LoginThrottle', () => {
  const key = LoginThrottle.key('Li.Bin', '10.0.0.1');

  it('lets the first failures through, then blocks for 1 s, 2 s, 4 s ... up to the cap', () => {
    const t = new LoginThrottle(3, 15 * 60_000, 10_000);
    let now = 1_000_000;
    t.fail(key, now);
    t.fail(key, now);
    expect(t.retryAfterMs(key, now)).toBe(0);
    t.fail(key, now);
    expect(t.retryAfterMs(key, now)).toBe(1000);
    now += 1000;
    t.fail(key, now);
    expect(t.retryAfterMs(key, now)).toBe(2000);
    for (let i = 0; i < 10; i++) t.fail(key, (now += 20_000));
    expect(t.retryAfterMs(key, now)).toBe(10_000);
  });

  it('is per username (any case) and address; a success or a quiet window clears it', () => {
    const t = new LoginThrottle(1, 60_000);
    t.fail(key, 0);
    expect(t.retryAfterMs(LoginThrottle.key('li.bin', '10.0.0.1'), 0)).toBe(1000);
    expect(t.retryAfterMs(LoginThrottle.key('li.bin', '10.0.0.2'), 0)).toBe(0);
    t.succeed(key);
    expect(t.retryAfterMs(key, 0)).toBe(0);
    t.fail(key, 0);
    t.fail(key, 120_000); // after the window: counted afresh, the first failure blocks again for 1 s only
    expect(t.retryAfterMs(key, 120_000)).toBe(1000);
  });

  it('stays bounded under many addresses', () => {
    const t = new LoginThrottle(5, 60_000, 60_000, 100);
    for (let i = 0; i < 1000; i++) t.fail(LoginThrottle.key('admin', `10.0.${i >> 8}.${i & 255}`), i);
    expect(Reflect.get(t, 'entries').size).toBeLessThanOrEqual(100);
  });
});
