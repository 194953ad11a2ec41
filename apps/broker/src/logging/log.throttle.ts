/**
 * Keeps repetitive warnings from flooding the log (protocol.md, "Bad input": "logged without
 * flooding"): the first event of a key is logged, then at most one per `intervalMs`, carrying how many
 * were suppressed in between. Counters in /metrics keep the exact totals. Keys are bounded (oldest
 * forgotten first) so that attacker-chosen client ids cannot grow memory.
 */
export class LogThrottle {
  private readonly entries = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Returns `{ suppressed }` when this event should be logged, or null when it is suppressed. */
  admit(key: string): { suppressed: number } | null {
    const now = this.clock();
    const entry = this.entries.get(key);
    if (entry && now - entry.lastAt < this.intervalMs) {
      entry.suppressed++;
      return null;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.entries.delete(key); // re-insert so that Map order is least recently logged first
    this.entries.set(key, { lastAt: now, suppressed: 0 });
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return { suppressed };
  }
}
