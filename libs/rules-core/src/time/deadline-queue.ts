/**
 * A keyed priority queue of deadlines: an indexed binary min-heap in which every timer sits at most
 * once. Scheduling, moving and cancelling a timer are O(log n); moving a timer LATER (the offline
 * deadline that every message pushes back) is O(1): the timer keeps its heap slot and is re-keyed only
 * when it reaches the top (lazy postponement), so the per-message path does no heap work at all.
 *
 * Order among timers: due time, then `order` (the original due of deadlines deferred by a restart, so
 * that they still fire in their original order), then `prio` (e.g. "offline" before "no activity" when
 * both fall due together), then scheduling sequence (FIFO). Everything is deterministic.
 */
export class Timer<O = unknown> {
  /** The heap key; may be earlier than `due` while a postponement is pending. */
  key = Number.NaN;
  /** When the timer really falls due (NaN: not scheduled). */
  due = Number.NaN;
  order = 0;
  seq = 0;
  index = -1;
  constructor(
    readonly owner: O,
    readonly name: string,
    readonly prio: number,
  ) {}
  get scheduled(): boolean {
    return this.index >= 0;
  }
}

export class DeadlineQueue<T extends Timer> {
  private readonly heap: T[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Sets (or moves) a timer. `order` defaults to `due`. */
  schedule(t: T, due: number, order: number = due): void {
    if (t.index >= 0) {
      if (due >= t.key && order === due) {
        // Later (or equal): keep the slot, re-key lazily when it surfaces.
        t.due = due;
        return;
      }
      t.due = due;
      t.key = due;
      t.order = order;
      t.seq = this.seq++;
      this.fix(t.index);
      return;
    }
    t.due = due;
    t.key = due;
    t.order = order;
    t.seq = this.seq++;
    t.index = this.heap.length;
    this.heap.push(t);
    this.up(t.index);
  }

  cancel(t: T): void {
    const i = t.index;
    if (i < 0) return;
    const last = this.heap.pop() as T;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.index = i;
      this.fix(i);
    }
    t.index = -1;
    t.due = Number.NaN;
    t.key = Number.NaN;
  }

  /** The earliest real due time, or undefined when nothing is scheduled. */
  nextDue(): number | undefined {
    this.settleTop();
    const top = this.heap[0];
    return top ? top.due : undefined;
  }

  /** Removes and returns the earliest timer due at or before `now`, or undefined. */
  popDue(now: number): T | undefined {
    this.settleTop();
    const top = this.heap[0];
    if (!top || top.due > now) return undefined;
    this.cancelTop(top);
    return top;
  }

  /** Every scheduled timer (for a restart's deferral pass); the order is unspecified. */
  all(): readonly T[] {
    return this.heap;
  }

  private cancelTop(top: T): void {
    const due = top.due;
    this.cancel(top);
    // cancel() clears `due`; the caller still wants to know when the timer was due.
    top.due = due;
  }

  private settleTop(): void {
    for (;;) {
      const top = this.heap[0];
      if (!top || top.key >= top.due) return;
      top.key = top.due;
      top.order = top.due;
      this.down(0);
    }
  }

  private less(a: T, b: T): boolean {
    if (a.key !== b.key) return a.key < b.key;
    if (a.order !== b.order) return a.order < b.order;
    if (a.prio !== b.prio) return a.prio < b.prio;
    return a.seq < b.seq;
  }

  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  private up(i: number): boolean {
    const h = this.heap;
    const t = h[i] as T;
    let moved = false;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as T;
      if (!this.less(t, parent)) break;
      h[i] = parent;
      parent.index = i;
      i = p;
      moved = true;
    }
    h[i] = t;
    t.index = i;
    return moved;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const t = h[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(h[r] as T, h[l] as T)) c = r;
      const child = h[c] as T;
      if (!this.less(child, t)) break;
      h[i] = child;
      child.index = i;
      i = c;
    }
    h[i] = t;
    t.index = i;
  }
}
