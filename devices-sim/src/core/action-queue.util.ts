import { MinHeap } from './heap.util';

interface Entry<T> {
  at: number;
  order: number;
  item: T;
}

/**
 * Orders a device's pending actions by time. Device loops push what a reading tick produces (a batch
 * upload a few seconds later, a scenario event) and pop everything due before the next tick, so the
 * stream comes out sorted without the device code juggling several sources. Equal times keep push order.
 */
export class ActionQueue<T> {
  private readonly heap = new MinHeap<Entry<T>>((a, b) => a.at < b.at || (a.at === b.at && a.order < b.order));
  private order = 0;

  push(at: number, item: T): void {
    this.heap.push({ at, order: this.order++, item });
  }

  get size(): number {
    return this.heap.size;
  }

  /** The next item due strictly before `before`, or undefined. */
  popBefore(before: number): { at: number; item: T } | undefined {
    const top = this.heap.peek();
    if (!top || top.at >= before) return undefined;
    this.heap.pop();
    return { at: top.at, item: top.item };
  }
}
