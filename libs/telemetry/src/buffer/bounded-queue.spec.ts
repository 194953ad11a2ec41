import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('keeps FIFO order across wrap-around and drops the oldest when full, counting each drop', () => {
    const q = new BoundedQueue<number>(3);
    for (const i of [1, 2, 3]) q.push(i);
    expect(q.take(2)).toEqual([1, 2]);
    for (const i of [4, 5, 6]) q.push(i); // 3 is dropped when 6 arrives
    expect(q.size).toBe(3);
    expect(q.dropped).toBe(1);
    expect(q.take(10)).toEqual([4, 5, 6]);
    expect(q.take(1)).toEqual([]);
  });

  it('counts items held outside the queue (a batch in flight) against the bound', () => {
    const q = new BoundedQueue<number>(4);
    for (const i of [1, 2, 3, 4]) q.push(i, 2);
    expect(q.take(10)).toEqual([3, 4]);
    expect(q.dropped).toBe(2);
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
