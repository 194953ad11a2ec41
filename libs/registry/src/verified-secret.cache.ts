import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Entry {
  /** The stored hash the secret was verified against: a re-keyed device no longer matches it. */
  hash: string;
  /** HMAC-SHA256 of the secret under this process's key; the secret itself is never kept. */
  mac: Buffer;
}

/**
 * Remembers which device secrets were recently verified, so that a device reconnecting (or a storm of
 * them after a broker restart) costs an HMAC instead of an scrypt. The key is random per process, so
 * the entries are useless outside it, and an entry counts only while the device's stored hash is the
 * one it was verified against. Failed verifications are never cached. Bounded: the oldest entry goes
 * first when full.
 */
export class VerifiedSecretCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 100_000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError('maxEntries must be a non-negative integer');
  }

  get size(): number {
    return this.entries.size;
  }

  private mac(id: string, secret: string): Buffer {
    // The id is part of the MAC so that one device's entry can never vouch for another's secret.
    return createHmac('sha256', this.key).update(id).update('\0').update(secret, 'utf8').digest();
  }

  /** True when `secret` was verified for `id` against exactly `currentHash`. */
  matches(id: string, currentHash: string, secret: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.hash !== currentHash) {
      this.entries.delete(id);
      return false;
    }
    return timingSafeEqual(entry.mac, this.mac(id, secret));
  }

  remember(id: string, hash: string, secret: string): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(id);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(id, { hash, mac: this.mac(id, secret) });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
