import type { CoreEvent } from '@hearthbeat/rules-core';
import { tempDir } from '@hearthbeat/testing';
import { EngineStore } from './engine-store';

const nothing = { devices: [], subjects: [], alerts: [] };
const CUTOFF = Date.UTC(2025, 7, 22);
const OLD = CUTOFF - 1000;
const NEW = CUTOFF + 1000;
const risk = (at: number): CoreEvent => ({ type: 'risk', at, subject: { type: 'resident', id: 'R-1' }, site: 'a', colour: 'red', previous: 'green', reason: '' });
const seqs = (store: EngineStore) => store.eventsAfter(0).map((e) => e.seq);

describe('EngineStore.pruneEvents: only ever the oldest events', () => {
  it('stops at the first event not due, even when older ones follow it (a clock set back), so what remains has no gap', () => {
    const store = new EngineStore(tempDir('prune-prefix'));
    for (const at of [OLD, NEW, OLD, OLD]) store.write(nothing, [risk(at)]);
    expect(store.prunedThrough()).toBe(0);
    expect(store.pruneEvents(CUTOFF, 100, 100)).toBe(1);
    expect(seqs(store)).toEqual([2, 3, 4]);
    expect(store.prunedThrough()).toBe(1);
    expect(store.oldestEvent()).toEqual({ seq: 2, at: NEW });
    store.close();
  });

  it('goes no further than maxSeq nor than limit events per call', () => {
    const store = new EngineStore(tempDir('prune-bounds'));
    for (let i = 0; i < 5; i++) store.write(nothing, [risk(OLD)]);
    expect(store.pruneEvents(CUTOFF, 3, 100)).toBe(3);
    expect(seqs(store)).toEqual([4, 5]);
    expect(store.pruneEvents(CUTOFF, 100, 1)).toBe(1);
    expect(seqs(store)).toEqual([5]);
    expect(store.pruneEvents(CUTOFF, 100, 100)).toBe(1);
    expect(store.oldestEvent()).toBeUndefined();
    expect([store.lastEventSeq(), store.prunedThrough()]).toEqual([5, 5]);
    store.close();
  });
});
