import { ActionQueue } from './action-queue.util';
import { MinHeap } from './heap.util';
import { Rng } from './prng.util';

describe('MinHeap and ActionQueue', () => {
  it('pops in order', () => {
    const rng = Rng.derive('heap');
    const heap = new MinHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 500 }, () => rng.int(0, 100));
    for (const v of values) heap.push(v);
    expect(heap.drain()).toEqual([...values].sort((a, b) => a - b));
  });

  it('keeps push order for equal times and stops at the horizon', () => {
    const q = new ActionQueue<string>();
    q.push(10, 'b');
    q.push(5, 'a');
    q.push(10, 'c');
    q.push(20, 'd');
    const out: string[] = [];
    for (let x = q.popBefore(15); x; x = q.popBefore(15)) out.push(x.item);
    expect(out).toEqual(['a', 'b', 'c']);
    expect(q.size).toBe(1);
  });
});
