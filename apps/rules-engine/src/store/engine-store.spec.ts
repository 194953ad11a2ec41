import { RulesCore, type CoreEvent, type CoreRegistry } from '@hearthbeat/rules-core';
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

describe('EngineStore: alert events are stored without the alert\'s timeline', () => {
  const T0 = Date.UTC(2025, 10, 20, 16, 0, 0);
  const MIN = 60_000;
  const registry: CoreRegistry = {
    sites: [{ id: 'site-1', timezone: 'Asia/Shanghai' }],
    residents: [{ id: 'R-1', site: 'site-1', devices: ['SA-1'] }],
    elevators: [],
    devices: [{ id: 'SA-1', kind: 'smoke_alarm', reportIntervalS: 3600 }],
  };

  it('a day of an unacknowledged alarm\'s reminders: every row stays small (the alerts table keeps the whole timeline)', () => {
    const store = new EngineStore(tempDir('event-rows'));
    const core = new RulesCore({ registry });
    const step = (events: readonly CoreEvent[]) => store.write(core.drainDirty(), events);
    step(core.ingest({ deviceId: 'SA-1', kind: 'smoke_alarm', channel: 'event', body: { ts: T0, seq: 1, event: 'alarm' } }, T0));
    // Critical: reminded every 2 min, escalated twice; nobody acknowledges for 24 h (the detector keeps
    // its heartbeat, so nothing else happens).
    for (let t = T0 + MIN; t <= T0 + 24 * 60 * MIN; t += MIN) {
      if ((t - T0) % (30 * MIN) === 0) step(core.ingest({ deviceId: 'SA-1', kind: 'smoke_alarm', channel: 'telemetry', body: { ts: t, seq: t, batteryPct: 90 } }, t));
      step(core.advance(t));
    }
    const alarm = core.alerts().find((a) => a.rule === 'smoke.alarm')!;
    expect(alarm.timeline.filter((e) => e.action === 'reminder').length).toBeGreaterThan(700);
    expect(store.getAlert(alarm.id)?.timeline).toHaveLength(alarm.timeline.length);

    const rows = store.connection.prepare("SELECT length(doc) AS n FROM events WHERE type = 'alert'").all() as { n: number }[];
    expect(rows.length).toBeGreaterThan(700);
    const largest = Math.max(...rows.map((r) => r.n));
    const total = rows.reduce((sum, r) => sum + r.n, 0);
    // With the timeline in every row the last ones were 97 kB and the day 35 MB (measured).
    expect(largest).toBeLessThan(2_000);
    expect(total).toBeLessThan(rows.length * 2_000);

    const events = store.eventsAfter(0, 10_000).map((e) => e.event);
    const escalations = events.filter((e) => e.type === 'alert' && e.change === 'escalated');
    expect(escalations.map((e) => e.type === 'alert' && e.escalatedTo)).toEqual([['supervisor'], ['supervisor', 'admin']]);
    for (const e of events) if (e.type === 'alert') expect(e.alert).not.toHaveProperty('timeline');
    // What the last event carries is the alert as it then was, minus the timeline.
    const last = events.at(-1);
    expect(last?.type === 'alert' && last.alert).toEqual(expect.objectContaining({ id: alarm.id, state: 'open', escalationLevel: alarm.escalationLevel }));
    store.close();
  });
});
