import { DeadlineQueue, Timer } from './deadline-queue';

describe('DeadlineQueue', () => {
  const mk = (name: string, prio = 0) => new Timer<null>(null, name, prio);
  const drain = (q: DeadlineQueue<Timer<null>>, now: number) => {
    const out: string[] = [];
    for (let t = q.popDue(now); t; t = q.popDue(now)) out.push(`${t.name}@${t.due}`);
    return out;
  };

  it('pops in due order, then priority, then FIFO', () => {
    const q = new DeadlineQueue<Timer<null>>();
    const a = mk('a', 5);
    const b = mk('b', 1);
    const c = mk('c', 1);
    const d = mk('d');
    q.schedule(a, 10);
    q.schedule(b, 10);
    q.schedule(c, 10);
    q.schedule(d, 5);
    expect(q.nextDue()).toBe(5);
    expect(drain(q, 9)).toEqual(['d@5']);
    expect(drain(q, 10)).toEqual(['b@10', 'c@10', 'a@10']);
    expect(q.size).toBe(0);
  });

  it('moves timers earlier and later (lazily) and cancels them', () => {
    const q = new DeadlineQueue<Timer<null>>();
    const ts = Array.from({ length: 50 }, (_, i) => mk(`t${i}`));
    ts.forEach((t, i) => q.schedule(t, 100 + i));
    q.schedule(ts[10]!, 500); // later: lazy
    q.schedule(ts[20]!, 1); // earlier
    q.cancel(ts[30]!);
    expect(q.nextDue()).toBe(1);
    const out = drain(q, 1000);
    expect(out[0]).toBe('t20@1');
    expect(out).not.toContain('t30@130');
    expect(out[out.length - 1]).toBe('t10@500');
    expect(out).toHaveLength(49);
  });

  it('keeps the original order of deadlines deferred to the same instant', () => {
    const q = new DeadlineQueue<Timer<null>>();
    const late = mk('late');
    const early = mk('early', 9);
    q.schedule(late, 300, 200);
    q.schedule(early, 300, 100);
    expect(drain(q, 300)).toEqual(['early@300', 'late@300']);
  });

  it('nextDue reports the real due of a postponed timer', () => {
    const q = new DeadlineQueue<Timer<null>>();
    const t = mk('t');
    q.schedule(t, 10);
    q.schedule(t, 50);
    expect(q.nextDue()).toBe(50);
    expect(q.popDue(49)).toBeUndefined();
    expect(q.popDue(50)?.name).toBe('t');
  });
});
