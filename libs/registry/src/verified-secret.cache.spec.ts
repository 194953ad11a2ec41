import { VerifiedSecretCache } from './verified-secret.cache';

describe('verified secret cache', () => {
  it('matches only the same device, stored hash and secret', () => {
    const c = new VerifiedSecretCache();
    c.remember('WM-1', 'hash-a', 'secret-1');
    expect(c.matches('WM-1', 'hash-a', 'secret-1')).toBe(true);
    expect(c.matches('WM-1', 'hash-a', 'secret-2')).toBe(false);
    expect(c.matches('WM-2', 'hash-a', 'secret-1')).toBe(false);
  });

  it('drops an entry once the stored hash changed (re-keyed elsewhere)', () => {
    const c = new VerifiedSecretCache();
    c.remember('WM-1', 'hash-a', 'secret-1');
    expect(c.matches('WM-1', 'hash-b', 'secret-1')).toBe(false);
    expect(c.size).toBe(0);
    expect(c.matches('WM-1', 'hash-a', 'secret-1')).toBe(false);
  });

  it('forgets on request and on clear', () => {
    const c = new VerifiedSecretCache();
    c.remember('A', 'h', 's');
    c.remember('B', 'h', 's');
    c.forget('A');
    expect(c.matches('A', 'h', 's')).toBe(false);
    expect(c.matches('B', 'h', 's')).toBe(true);
    c.clear();
    expect(c.matches('B', 'h', 's')).toBe(false);
  });

  it('is bounded, evicting the oldest entry first', () => {
    const c = new VerifiedSecretCache(2);
    c.remember('A', 'h', 's');
    c.remember('B', 'h', 's');
    c.remember('C', 'h', 's');
    expect(c.size).toBe(2);
    expect(c.matches('A', 'h', 's')).toBe(false);
    expect(c.matches('B', 'h', 's')).toBe(true);
    expect(c.matches('C', 'h', 's')).toBe(true);
  });

  it('keeps nothing when sized 0', () => {
    const c = new VerifiedSecretCache(0);
    c.remember('A', 'h', 's');
    expect(c.matches('A', 'h', 's')).toBe(false);
  });

  it('does not share entries between processes (instances): the HMAC key is per instance', () => {
    const a = new VerifiedSecretCache();
    const b = new VerifiedSecretCache();
    a.remember('A', 'h', 's');
    expect(b.matches('A', 'h', 's')).toBe(false);
  });
});
