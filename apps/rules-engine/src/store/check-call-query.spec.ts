import Database from 'better-sqlite3';
import * as path from 'node:path';
import type { CallResult } from '@hearthbeat/contracts';
import type { CoreEvent } from '@hearthbeat/rules-core';
import { tempDir } from '@hearthbeat/testing';
import { CHECK_CALL_SQL } from './check-call-query';
import { ENGINE_DB_FILE, EngineStore } from './engine-store';

const T0 = Date.UTC(2025, 10, 20, 6, 0, 0);
const MIN = 60_000;
const nothing = { devices: [], subjects: [], alerts: [] };

/** A `check_call` event as water.routine_deviation emits it (libs/rules-core: core-events.ts). */
function call(resident: string, n: number, change: 'placed' | 'result' | 'late', at: number, placedAt: number, extra: { result?: CallResult; timedOut?: boolean } = {}): CoreEvent {
  return {
    type: 'check_call',
    change,
    at,
    subject: { type: 'resident', id: resident },
    site: 'site-1',
    rule: 'water.routine_deviation',
    callId: `RC-${resident}-${n}`,
    placedAt,
    timeoutAt: placedAt + 2 * MIN,
    reason: change === 'placed' ? `no water used since 12:00 (call ${n})` : `check-in call ${extra.result ?? ''}`,
    ...extra,
  };
}

const welcomeBack = (at: number): CoreEvent => ({ type: 'welcome_back', at, subject: { type: 'resident', id: 'R-1' }, site: 'site-1', deviceId: 'WM-1', usedAt: at, liters: 3, awayId: 'api:1-2', message: 'back home' });

const plan = (db: Database.Database, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('EngineStore.checkCalls: a resident\'s check-in calls from the events table', () => {
  it('folds each call from its placed, result and late events, newest first, and keeps other residents and events apart', () => {
    const store = new EngineStore(tempDir('check-calls'));
    const p1 = T0;
    const p2 = T0 + 120 * MIN;
    store.write(nothing, [call('R-1', 1, 'placed', p1, p1)]);
    store.write(nothing, [call('R-2', 1, 'placed', p1 + 1, p1 + 1), call('R-1', 1, 'result', p1 + MIN, p1, { result: 'answered_well' })]);
    // Call 2 times out (the core's deadline), then the gateway's answer comes late.
    store.write(nothing, [call('R-1', 2, 'placed', p2, p2)]);
    store.write(nothing, [call('R-1', 2, 'result', p2 + 2 * MIN, p2, { result: 'no_answer', timedOut: true })]);
    store.write(nothing, [call('R-1', 2, 'late', p2 + 5 * MIN, p2, { result: 'answered_well' })]);
    // A late answer for the superseded call 1: the core fills in the current call's times; only the answer counts.
    store.write(nothing, [call('R-1', 1, 'late', p2 + 6 * MIN, p2, { result: 'needs_help' })]);
    // Call 3 still rings.
    const p3 = T0 + 240 * MIN;
    store.write(nothing, [call('R-1', 3, 'placed', p3, p3), welcomeBack(p3)]);

    expect(store.checkCalls.recent('R-1', 20)).toEqual([
      { callId: 'RC-R-1-3', placedAt: p3, timeoutAt: p3 + 2 * MIN, reason: 'no water used since 12:00 (call 3)' },
      { callId: 'RC-R-1-2', placedAt: p2, timeoutAt: p2 + 2 * MIN, reason: 'no water used since 12:00 (call 2)', result: 'no_answer', timedOut: true, resultAt: p2 + 2 * MIN, late: { result: 'answered_well', at: p2 + 5 * MIN } },
      { callId: 'RC-R-1-1', placedAt: p1, timeoutAt: p1 + 2 * MIN, reason: 'no water used since 12:00 (call 1)', result: 'answered_well', resultAt: p1 + MIN, late: { result: 'needs_help', at: p2 + 6 * MIN } },
    ]);
    // `limit` counts calls, not events; a late answer for a call outside the window lists nothing of it.
    expect(store.checkCalls.recent('R-1', 2).map((c) => c.callId)).toEqual(['RC-R-1-3', 'RC-R-1-2']);
    expect(store.checkCalls.recent('R-1', 1)).toEqual([expect.objectContaining({ callId: 'RC-R-1-3' })]);
    expect(store.checkCalls.recent('R-2', 20)).toEqual([{ callId: 'RC-R-2-1', placedAt: p1 + 1, timeoutAt: p1 + 1 + 2 * MIN, reason: 'no water used since 12:00 (call 1)' }]);
    expect(store.checkCalls.recent('R-3', 20)).toEqual([]);
    store.close();
  });

  it('adds its index to a store written before it (idempotently, on every open), and reads through it', () => {
    const dir = tempDir('check-calls-old');
    const first = new EngineStore(dir);
    first.write(nothing, [call('R-1', 1, 'placed', T0, T0), call('R-1', 1, 'result', T0 + MIN, T0, { result: 'failed' })]);
    first.close();
    // As a store of an engine without the index would be.
    const raw = new Database(path.join(dir, ENGINE_DB_FILE));
    raw.exec('DROP INDEX events_check_call');
    raw.close();

    for (let open = 0; open < 2; open++) {
      const store = new EngineStore(dir);
      const db = store.connection;
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'events_check_call'").all()).toHaveLength(1);
      expect(store.checkCalls.recent('R-1', 20)).toEqual([{ callId: 'RC-R-1-1', placedAt: T0, timeoutAt: T0 + 2 * MIN, reason: 'no water used since 12:00 (call 1)', result: 'failed', resultAt: T0 + MIN }]);
      // Both reads walk the index, never the whole event log.
      // The last N placements: read in index order, no sort.
      const latest = plan(db, CHECK_CALL_SQL.latest, 'R-1', 20);
      expect(latest).toMatch(/^SEARCH events USING (COVERING )?INDEX events_check_call/);
      expect(latest).not.toMatch(/TEMP B-TREE|SCAN events/);
      // Their events: one index range per change from the oldest placement on (sorting only those rows).
      const since = plan(db, CHECK_CALL_SQL.since, 'R-1', 0);
      expect(since).toMatch(/^SEARCH events USING INDEX events_check_call \(.*seq>\?\)/);
      expect(since).not.toMatch(/SCAN events/);
      store.close();
    }
  });

  it('after the retention pruned old events, lists only the calls still stored (a late answer for a pruned call lists nothing of it)', () => {
    const store = new EngineStore(tempDir('check-calls-pruned'));
    const p1 = T0;
    const p2 = T0 + 100 * 24 * 60 * MIN;
    store.write(nothing, [call('R-1', 1, 'placed', p1, p1), call('R-2', 1, 'placed', p1, p1)]);
    store.write(nothing, [call('R-1', 1, 'result', p1 + 2 * MIN, p1, { result: 'no_answer', timedOut: true })]);
    store.write(nothing, [call('R-1', 2, 'placed', p2, p2)]);
    store.write(nothing, [call('R-1', 1, 'late', p2 + MIN, p2, { result: 'answered_well' })]);
    expect(store.checkCalls.recent('R-1', 20).map((c) => c.callId)).toEqual(['RC-R-1-2', 'RC-R-1-1']);

    expect(store.pruneEvents(p2, store.lastEventSeq(), 100)).toBe(3);
    expect(store.checkCalls.recent('R-1', 20)).toEqual([{ callId: 'RC-R-1-2', placedAt: p2, timeoutAt: p2 + 2 * MIN, reason: 'no water used since 12:00 (call 2)' }]);
    expect(store.checkCalls.recent('R-2', 20)).toEqual([]);
    store.close();
  });
});
