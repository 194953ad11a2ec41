interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

/**
 * Slows password guessing per (username, client address): the first `maxFailures` failures within
 * `windowMs` are free (people mistype); from then on each failure blocks the pair for twice as long as the
 * previous one (1 s, 2 s, 4 s, ... capped at `maxBlockMs`). A success clears the pair. Keyed per address too,
 * so that a guesser elsewhere cannot lock a staff member out of their own screen. scrypt (~35 ms per check)
 * already bounds the rate of a single client.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs = 15 * 60_000,
    private readonly maxBlockMs = 15 * 60_000,
    private readonly maxEntries = 100_000,
  ) {}

  static key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`;
  }

  /** Milliseconds to wait before this pair may try again; 0 when it may try now. */
  retryAfterMs(key: string, now: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.blockedUntil - now) : 0;
  }

  fail(key: string, now: number): void {
    let e = this.entries.get(key);
    if (!e || now - e.lastFailureAt > this.windowMs) {
      if (this.entries.size >= this.maxEntries) this.prune(now);
      e = { failures: 0, lastFailureAt: now, blockedUntil: 0 };
      this.entries.set(key, e);
    }
    e.failures += 1;
    e.lastFailureAt = now;
    if (e.failures >= this.maxFailures) {
      const blockMs = Math.min(this.maxBlockMs, 1000 * 2 ** Math.min(30, e.failures - this.maxFailures));
      e.blockedUntil = now + blockMs;
    }
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) if (now - e.lastFailureAt > this.windowMs && e.blockedUntil <= now) this.entries.delete(k);
    // Still full (an attack from many addresses): drop the oldest half rather than grow without bound.
    if (this.entries.size >= this.maxEntries) {
      let n = Math.floor(this.entries.size / 2);
      for (const k of this.entries.keys()) {
        if (n-- <= 0) break;
        this.entries.delete(k);
      }
    }
  }
}
