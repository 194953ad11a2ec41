import type { CoreEvent } from '@hearthbeat/rules-core';
import type { StoredEvent } from '../driver/core-driver';
import { LiveSession } from './live-session';

/** A risk event per seq; site "b" is not visible to the test user. */
const ev = (seq: number, site = 'a'): StoredEvent => ({
  seq,
  event: { type: 'risk', at: seq, subject: { type: 'resident', id: `R-${seq}` }, site, colour: 'red', previous: 'green', reason: '' } satisfies CoreEvent,
});

function harness(stored: StoredEvent[], pageSize = 2) {
  const sent: Record<string, unknown>[] = [];
  const waiting: (() => void)[] = [];
  // As EngineStore: pruning removes the oldest events; the newest seq is remembered.
  let prunedThrough = 0;
  const lastSeq = () => Math.max(stored.at(-1)?.seq ?? 0, prunedThrough);
  const prune = (through: number) => {
    prunedThrough = Math.max(prunedThrough, through);
    while ((stored[0]?.seq ?? Infinity) <= through) stored.shift();
  };
  const session = new LiveSession({
    replay: (after, limit) => stored.filter((s) => s.seq > after).slice(0, limit),
    lastSeq,
    prunedThrough: () => prunedThrough,
    visible: (e) => e.type !== 'risk' || e.site === 'a',
    send: (m) => sent.push(m),
    // Each page waits for the test to let it continue: live events arrive in between.
    drained: () => new Promise<void>((resolve) => waiting.push(resolve)),
    pageSize,
  });
  const seqs = () => sent.filter((m) => m['type'] === 'risk').map((m) => m['seq']);
  const nextPage = async () => {
    await new Promise((r) => setImmediate(r));
    for (const resolve of waiting.splice(0)) resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { session, sent, seqs, nextPage, store: stored, prune };
}

describe('LiveSession (replay, buffer, flush)', () => {
  it('replays after since page by page, buffers live events meanwhile and flushes them without gaps or duplicates', async () => {
    const h = harness([1, 2, 3, 4, 5].map((n) => ev(n)));
    const started = h.session.start(1);
    // While replaying, the engine stores and publishes 6 and 7; 5 is also seen live (stored just before the replay read it).
    h.store.push(ev(6), ev(7));
    h.session.onLive(ev(5));
    h.session.onLive(ev(6));
    await h.nextPage();
    h.store.push(ev(8));
    h.session.onLive(ev(7));
    h.session.onLive(ev(8));
    await h.nextPage();
    await h.nextPage();
    await started;
    expect(h.seqs()).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(h.sent.at(-1)).toEqual({ type: 'synced', seq: 8 });
    h.session.onLive(ev(9));
    h.session.onLive(ev(9)); // a duplicate never goes out twice
    expect(h.seqs()).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('sends only what the user may see, but counts every sequence number', async () => {
    const h = harness([ev(1), ev(2, 'b'), ev(3)], 10);
    await h.session.start(0);
    expect(h.seqs()).toEqual([1, 3]);
    h.session.onLive(ev(4, 'b'));
    expect(h.session.lastSeq).toBe(4);
    expect(h.seqs()).toEqual([1, 3]);
  });

  it('without since starts live from now; a since beyond the store says reset', async () => {
    const h = harness([ev(1), ev(2)], 10);
    await h.session.start(undefined);
    expect(h.seqs()).toEqual([]);
    h.session.onLive(ev(3));
    expect(h.seqs()).toEqual([3]);
    const r = harness([ev(1)], 10);
    await r.session.start(50);
    expect(r.sent[0]).toMatchObject({ type: 'reset', seq: 1 });
    r.session.onLive(ev(2));
    expect(r.seqs()).toEqual([2]);
  });

  it('a resume during a replay supersedes it', async () => {
    const h = harness([1, 2, 3, 4, 5, 6].map((n) => ev(n)));
    const first = h.session.start(0);
    const second = h.session.start(4);
    await h.nextPage();
    await h.nextPage();
    await h.nextPage();
    await Promise.all([first, second]);
    // The first replay sent 1 and 2 before it was superseded; the second sends what follows 4.
    expect(h.seqs()).toEqual([1, 2, 5, 6]);
    expect(h.sent.filter((m) => m['type'] === 'synced')).toEqual([{ type: 'synced', seq: 6 }]);
  });

  it('a since whose next events were pruned says reset and continues from the newest event', async () => {
    const h = harness([1, 2, 3, 4, 5].map((n) => ev(n)), 10);
    h.prune(3);
    await h.session.start(1);
    expect(h.sent[0]).toMatchObject({ type: 'reset', seq: 5 });
    // 4 and 5 are not replayed: the client reloads the current state instead.
    expect(h.seqs()).toEqual([]);
    expect(h.sent.at(-1)).toEqual({ type: 'synced', seq: 5 });
    h.session.onLive(ev(6));
    expect(h.seqs()).toEqual([6]);
  });

  it('a since at the last pruned event replays the rest without a reset', async () => {
    const h = harness([1, 2, 3, 4, 5].map((n) => ev(n)), 10);
    h.prune(3);
    await h.session.start(3);
    expect(h.sent.map((m) => m['type'])).toEqual(['risk', 'risk', 'synced']);
    expect(h.seqs()).toEqual([4, 5]);
  });

  it('everything pruned: the newest seq still resumes, an older one says reset', async () => {
    const h = harness([1, 2, 3].map((n) => ev(n)), 10);
    h.prune(3);
    await h.session.start(3);
    expect(h.sent).toEqual([{ type: 'synced', seq: 3 }]);
    await h.session.start(2);
    expect(h.sent.slice(1)).toEqual([expect.objectContaining({ type: 'reset', seq: 3 }), { type: 'synced', seq: 3 }]);
  });

  it('a pruning pass between two replay pages says reset rather than skipping the pruned events', async () => {
    const h = harness([1, 2, 3, 4, 5, 6, 7, 8].map((n) => ev(n)));
    const started = h.session.start(0);
    // The first page (1, 2) is out; the retention then removes up to 5 before the next page is read.
    h.prune(5);
    await h.nextPage();
    await h.nextPage();
    await started;
    expect(h.sent.map((m) => m['type'])).toEqual(['risk', 'risk', 'reset', 'synced']);
    expect(h.sent[2]).toMatchObject({ type: 'reset', seq: 8 });
    expect(h.seqs()).toEqual([1, 2]);
    h.session.onLive(ev(9));
    expect(h.seqs()).toEqual([1, 2, 9]);
  });
});
