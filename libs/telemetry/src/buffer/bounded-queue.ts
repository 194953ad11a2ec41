/**
 * A FIFO ring of fixed capacity that drops its oldest item when a new one arrives while full.
 * Oldest first because, for a cumulative water register, a lost older reading only merges two usage
 * intervals into one (the volume still shows up at the next reading), while the newest readings are
 * what staff look at; and an elevator's recent states matter more than old ones.
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private droppedTotal = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Items dropped since creation because the queue was full. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /**
   * Appends; when the queue holds `capacity - reserved` items already, drops the oldest first.
   * `reserved` lets a caller count items it has taken out (a batch in flight) against the bound.
   */
  push(item: T, reserved = 0): void {
    const limit = Math.max(1, this.capacity - reserved);
    while (this.count >= limit) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.droppedTotal++;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
  }

  /** Removes and returns up to `n` of the oldest items. */
  take(n: number): T[] {
    const k = Math.min(n, this.count);
    const out = new Array<T>(k);
    for (let i = 0; i < k; i++) {
      out[i] = this.items[this.head] as T;
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= k;
    return out;
  }
}
