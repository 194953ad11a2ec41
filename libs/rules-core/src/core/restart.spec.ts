import type { Alert, DeviceMessage } from '@hearthbeat/contracts';
import { fleet, H, lift, liftEvent, MIN, S, smoke, T0, water } from '../test-support/harness.test-helpers';
import type { CoreEvent } from './core-events';
import type { CoreMeta, CoreSnapshot } from './persistence';
import type { CoreRegistry } from '../registry/core-registry.types';
import type { DeviceState } from '../state/device-state';
import type { SubjectState } from '../state/subject-state';
import { RulesCore } from './rules-core';

/**
 * The live engine's persistence, simulated: after every call it writes drainDirty() (as JSON, as
 * SQLite would) in one "transaction" with the events. A SIGKILL loses only the RulesCore object.
 */
class Store {
  meta: CoreMeta | undefined;
  readonly devices = new Map<string, DeviceState>();
  readonly subjects = new Map<string, SubjectState>();
  readonly alerts = new Map<string, Alert>();
  readonly events: CoreEvent[] = [];
  commit(core: RulesCore, events: readonly CoreEvent[]): void {
    const d = JSON.parse(JSON.stringify(core.drainDirty())) as ReturnType<RulesCore['drainDirty']>;
    if (d.meta) this.meta = d.meta;
    for (const s of d.devices) this.devices.set(s.id, s);
    for (const s of d.subjects) this.subjects.set(`${s.type}:${s.id}`, s);
    for (const a of d.alerts) this.alerts.set(a.id, a);
    this.events.push(...events);
  }
  load(): CoreSnapshot {
    if (!this.meta) throw new Error('nothing stored');
    return { meta: this.meta, devices: [...this.devices.values()], subjects: [...this.subjects.values()], alerts: [...this.alerts.values()] };
  }
}

class Engine {
  core: RulesCore;
  constructor(
    readonly registry: CoreRegistry,
    readonly store = new Store(),
  ) {
    this.core = new RulesCore({ registry });
  }
  static restart(prev: Engine, now: number, graceMs: number): Engine {
    const e = Object.create(Engine.prototype) as Engine;
    Object.assign(e, { registry: prev.registry, store: prev.store, core: RulesCore.restore(prev.store.load(), { registry: prev.registry }) });
    e.store.commit(e.core, e.core.resumeAfterRestart(now, graceMs));
    return e;
  }
  send(msg: DeviceMessage, t: number): void {
    this.store.commit(this.core, this.core.advance(t));
    this.store.commit(this.core, this.core.ingest(msg, t));
  }
  advance(t: number): void {
    this.store.commit(this.core, this.core.advance(t));
  }
  opened(rule: string): Alert[] {
    return this.store.events.flatMap((e) => (e.type === 'alert' && e.change === 'opened' && e.alert.rule === rule ? [e.alert] : []));
  }
}

const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('persistence: the incremental dirty rows are the whole state', () => {
  it('rows written from drainDirty() equal a full snapshot after a busy scenario', () => {
    const e = new Engine(fleet({ residentRules: { 'water.meter_offline': { afterS: 86400 } } }));
    e.send(water(T0, 100), T0);
    e.send(smoke(T0 + MIN, 'alarm'), T0 + MIN);
    e.send(lift(T0 + 2 * MIN, { door: 'closed', occupied: true }), T0 + 2 * MIN);
    e.advance(T0 + 10 * MIN);
    const id = e.core.alerts({ state: 'open' })[0]!.id;
    e.store.commit(e.core, e.core.acknowledge(id, 'wang', T0 + 11 * MIN));
    e.store.commit(e.core, e.core.addAway('R-1', { from: T0 + H, to: T0 + 5 * H }, 'wang', T0 + 12 * MIN));
    e.advance(T0 + 3 * H);
    const snap = JSON.parse(JSON.stringify(e.core.snapshot())) as CoreSnapshot;
    const rows = e.store.load();
    expect(rows.meta).toEqual(snap.meta);
    expect(sortById(rows.devices)).toEqual(sortById(snap.devices));
    expect(sortById(rows.alerts)).toEqual(sortById(snap.alerts));
    expect([...rows.subjects].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([...snap.subjects].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });
});

describe('restart (complaints 1 and 3)', () => {
  it('a no-activity deadline that passed while down fires exactly once after the grace', () => {
    let e = new Engine(fleet({ residentRules: { 'water.meter_offline': { afterS: 86400 } } }));
    e.send(water(T0, 100), T0);
    e.send(water(T0 + H, 130), T0 + H);
    e.advance(T0 + 6 * H);
    // SIGKILL at 6 h; the window would have ended at 13 h; back at 20 h.
    e = Engine.restart(e, T0 + 20 * H, 2 * MIN);
    for (let t = T0 + 20 * H; t <= T0 + 30 * H; t += MIN) e.advance(t);
    const fired = e.opened('water.no_activity');
    expect(fired).toHaveLength(1);
    expect(fired[0]!.openedAt).toBeGreaterThanOrEqual(T0 + 20 * H + 2 * MIN);
    expect(fired[0]!.reason).toContain('last use 01:00');
  });

  it('an entrapment deadline that passed while down fires once after the grace, unless the car reports free meanwhile', () => {
    const run = (freed: boolean) => {
      let e = new Engine(fleet());
      e.send(lift(T0, { direction: 'stopped', door: 'closed', occupied: true }), T0);
      e.advance(T0 + 5 * S);
      e = Engine.restart(e, T0 + 10 * MIN, MIN);
      if (freed) e.send(lift(T0 + 10 * MIN + 20 * S, { door: 'open', occupied: false }), T0 + 10 * MIN + 20 * S);
      for (let t = T0 + 10 * MIN; t <= T0 + 20 * MIN; t += 10 * S) e.advance(t);
      return e.opened('elevator.entrapment');
    };
    expect(run(false).map((a) => a.openedAt)).toEqual([T0 + 11 * MIN]);
    expect(run(true)).toEqual([]);
  });

  it('a lift backlog uploaded after a restart fires nothing for a car that moved on, and an entrapment still going on once', () => {
    const run = (stillTrapped: boolean) => {
      let e = new Engine(fleet());
      e.send(lift(T0), T0);
      e.advance(T0 + MIN);
      // Down from 1 min to 10 min; the terminal buffers what happened meanwhile and uploads it on reconnecting.
      e = Engine.restart(e, T0 + 10 * MIN, MIN);
      const backlog = [lift(T0 + 2 * MIN, { direction: 'stopped', door: 'closed', occupied: true })];
      if (!stillTrapped) backlog.push(lift(T0 + 2 * MIN + 40 * S, { door: 'open', occupied: false }));
      backlog.forEach((m, i) => e.send(m, T0 + 10 * MIN + 5 * S + i * 10));
      for (let t = T0 + 10 * MIN; t <= T0 + 20 * MIN; t += S) e.advance(t);
      return e.opened('elevator.entrapment');
    };
    expect(run(false)).toEqual([]);
    const [a] = run(true);
    expect(a?.openedAt).toBe(T0 + 10 * MIN + 10 * S);
    expect(a?.reason).toContain('(since 00:02, reported 8.1 min late)');
  });

  it('an alert held for the end of a backlog survives a restart and is judged once, on the latest state', () => {
    let e = new Engine(fleet());
    e.send(lift(T0), T0);
    e.send(liftEvent(T0 + MIN, 'power_lost'), T0 + H);
    e.send(lift(T0 + MIN + S, { power: 'battery' }), T0 + H + 10);
    expect(e.opened('elevator.power_lost')).toEqual([]);
    const snap = JSON.parse(JSON.stringify(e.core.snapshot())) as CoreSnapshot;
    expect(sortById(e.store.load().devices)).toEqual(sortById(snap.devices));
    // SIGKILL before the backlog's grace ended; back 2 min later with a 30 s grace.
    e = Engine.restart(e, T0 + H + 2 * MIN, 30 * S);
    for (let t = T0 + H + 2 * MIN; t <= T0 + H + 5 * MIN; t += 10 * S) e.advance(t);
    const opened = e.opened('elevator.power_lost');
    expect(opened.map((a) => [a.openedAt, a.reason])).toEqual([[T0 + H + 2 * MIN + 30 * S, 'power lost (event) at 00:01, reported 59 min late; still without mains power (00:01)']]);
  });

  it('escalation deadlines missed while down fire once each, not as a storm of reminders', () => {
    let e = new Engine(fleet({ smokeIntervalS: 86400 }));
    e.send(smoke(T0, 'alarm'), T0);
    e.advance(T0 + MIN);
    e = Engine.restart(e, T0 + 60 * MIN, MIN);
    e.advance(T0 + 62 * MIN);
    const steps = e.store.events.flatMap((x) => (x.type === 'alert' && (x.change === 'escalated' || x.change === 'reminder') ? [[x.change, (x.at - T0) / MIN]] : []));
    // Deferred to the end of the grace, in their original order (reminder due at 2 min, tier 1 at 5 min),
    // then tier 2 (due at 15 min) at once; reminders resume every 2 min from there.
    expect(steps).toEqual([
      ['reminder', 61],
      ['escalated', 61],
      ['escalated', 61],
    ]);
    expect(e.core.alerts()[0]?.escalationLevel).toBe(2);
  });

  it('no storm of offline alerts: devices that report within their period after the restart stay quiet', () => {
    const n = 50;
    const reg: CoreRegistry = {
      sites: [{ id: 's', timezone: 'Asia/Shanghai' }],
      residents: Array.from({ length: n }, (_, i) => ({ id: `R-${i}`, site: 's', devices: [`WM-${i}`] })),
      elevators: [],
      devices: Array.from({ length: n }, (_, i) => ({ id: `WM-${i}`, kind: 'water_meter' as const, reportIntervalS: 900 })),
    };
    let e = new Engine(reg);
    for (let i = 0; i < n; i++) e.send(water(T0, 100 + i, { deviceId: `WM-${i}` }), T0);
    e.advance(T0 + 5 * MIN);
    e = Engine.restart(e, T0 + 2 * H, 2 * MIN);
    // Every meter but WM-0 reports on its own schedule within the next 15 min (not within the grace).
    for (let i = 1; i < n; i++) {
      const t = T0 + 2 * H + (i % 15) * MIN + 30 * S;
      e.send(water(t, 100 + i, { deviceId: `WM-${i}` }), t);
    }
    e.advance(T0 + 2 * H + 29 * MIN);
    expect(e.opened('water.meter_offline')).toHaveLength(0);
    e.advance(T0 + 2 * H + 30 * MIN);
    expect(e.opened('water.meter_offline').map((a) => [a.deviceId, a.openedAt])).toEqual([['WM-0', T0 + 2 * H + 30 * MIN]]);
  });

  it('a QoS 1 redelivery after the restart creates nothing; alert ids continue', () => {
    let e = new Engine(fleet());
    const alarm = smoke(T0, 'alarm', 41);
    e.send(alarm, T0);
    e = Engine.restart(e, T0 + MIN, 30 * S);
    const before = e.store.events.length;
    e.send(alarm, T0 + MIN + S);
    expect(e.store.events.slice(before)).toEqual([]);
    e.send(lift(T0 + 2 * MIN, { direction: 'up', speedMps: 1, door: 'open', doorZone: false }), T0 + 2 * MIN);
    const ids = e.store.events.flatMap((x) => (x.type === 'alert' && x.change === 'opened' ? [x.alert.id] : []));
    expect(ids[0]).toBe('AL-000001');
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(e.opened('elevator.moving_with_door_open')).toHaveLength(1);
    expect(e.core.alerts().find((a) => a.rule === 'smoke.alarm')?.count).toBe(1);
  });

  it('restores from snapshot() as JSON too, and resumes on its own if resumeAfterRestart is forgotten', () => {
    const core = new RulesCore({ registry: fleet({ residentRules: { 'water.meter_offline': { afterS: 86400 } } }) });
    core.ingest(water(T0, 100), T0);
    const json = JSON.stringify(core.snapshot());
    const back = RulesCore.restore(JSON.parse(json) as CoreSnapshot, { registry: fleet({ residentRules: { 'water.meter_offline': { afterS: 86400 } } }) });
    const events = [...back.advance(T0 + 13 * H)];
    expect(events.filter((x) => x.type === 'alert' && x.alert.rule === 'water.no_activity')).toHaveLength(0);
    events.push(...back.advance(T0 + 13 * H + 30 * MIN));
    expect(events.filter((x) => x.type === 'alert' && x.change === 'opened' && x.alert.rule === 'water.no_activity')).toHaveLength(1);
  });
});
