import Database from 'better-sqlite3';
import * as path from 'node:path';
import type { DeviceMessage } from '@hearthbeat/contracts';
import { RulesCore, type CoreEvent, type CoreRegistry } from '@hearthbeat/rules-core';
import { tempDir } from '@hearthbeat/testing';
import { ENGINE_DB_FILE, EngineStore } from '../store/engine-store';
import { verifyLog } from './audit-chain';
import { AuditLog } from './audit-log';

const T0 = Date.UTC(2025, 10, 20, 16, 0, 0);
const MIN = 60_000;
const registry: CoreRegistry = {
  sites: [{ id: 'site-1', timezone: 'Asia/Shanghai', rules: { 'smoke.tamper': { cooldownS: 0 } } }],
  residents: [{ id: 'R-1', site: 'site-1', devices: ['SA-1'] }],
  elevators: [],
  devices: [{ id: 'SA-1', kind: 'smoke_alarm', reportIntervalS: 3600 }],
};
let seq = 1;
const smoke = (ts: number, event: 'alarm' | 'tamper' | 'tamper_restored'): DeviceMessage => ({ deviceId: 'SA-1', kind: 'smoke_alarm', channel: 'event', body: { ts, seq: seq++, event } });

/** An engine store with the audit hook, and a core whose every step is written as the engine writes it. */
function rig(dir = tempDir('audit-log')) {
  const store = new EngineStore(dir);
  const audit = new AuditLog(store.connection);
  store.addStepHook(audit.onStep);
  const core = new RulesCore({ registry });
  const step = (events: readonly CoreEvent[]) => store.write(core.drainDirty(), events);
  return { dir, store, audit, core, step };
}

const exported = (audit: AuditLog) => audit.linesAfter(0, 10_000).map((l) => l.text);

describe('AuditLog', () => {
  it('holds every timeline entry of every step, in commit order, chained, with maintenance interleaved', () => {
    const { store, audit, core, step } = rig();
    step(core.ingest(smoke(T0, 'alarm'), T0));
    // A repeat raising nothing and a tamper that opens and, with cooldown 0, resolves in one step when
    // restored: entries appended without an event of their own (condition_cleared) must be logged too.
    step(core.ingest(smoke(T0 + MIN, 'alarm'), T0 + MIN));
    const alarm = core.alerts().find((a) => a.rule === 'smoke.alarm')!;
    step(core.acknowledge(alarm.id, 'li.bin', T0 + 2 * MIN));
    audit.appendMaintenance({ kind: 'maintenance', elevatorId: 'EL-1', site: 'site-1', at: T0 + 3 * MIN, by: 'lift.tech', action: 'arrived' });
    step(core.ingest(smoke(T0 + 4 * MIN, 'tamper'), T0 + 4 * MIN));
    step(core.ingest(smoke(T0 + 5 * MIN, 'tamper_restored'), T0 + 5 * MIN));
    step(core.resolve(alarm.id, 'false_alarm', 'toast', 'li.bin', T0 + 6 * MIN));

    const lines = exported(audit);
    const entries = lines.map((l) => (JSON.parse(l) as { entry: { kind: string; alertId?: string; n?: number; action: string } }).entry);
    const tamper = core.alerts().find((a) => a.rule === 'smoke.tamper')!;
    expect(entries.map((e) => `${e.alertId ?? e.kind}#${e.n ?? '-'} ${e.action}`)).toEqual([
      `${alarm.id}#0 opened`,
      `${alarm.id}#1 triggered`,
      `${alarm.id}#2 acknowledged`,
      'maintenance#- arrived',
      `${tamper.id}#0 opened`,
      `${tamper.id}#1 condition_cleared`,
      `${tamper.id}#2 resolved`,
      `${alarm.id}#3 resolved`,
    ]);
    // Every timeline entry is in the log exactly once.
    const stored = store.allAlerts().reduce((n, a) => n + a.timeline.length, 0);
    expect(entries.filter((e) => e.kind === 'alert')).toHaveLength(stored);
    expect(verifyLog(`${lines.join('\n')}\n`)).toMatchObject({ ok: true, entries: 8, head: audit.head() });
    store.close();
  });

  it('refuses updates and deletes, and starts an upgraded store from its stored timelines once', () => {
    const { dir, store, core, step } = rig();
    step(core.ingest(smoke(T0, 'alarm'), T0));
    const db = new Database(path.join(dir, ENGINE_DB_FILE));
    expect(() => db.prepare("UPDATE audit_log SET entry = '{}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    // A store written before the audit log existed: drop the log (and its triggers), then reopen.
    db.exec('DROP TABLE audit_log');
    db.close();
    const again = new AuditLog(store.connection);
    expect(again.backfill(() => store.allAlerts())).toBe(1);
    expect(again.backfill(() => store.allAlerts())).toBe(0);
    expect(again.head().seq).toBe(1);
    store.close();
  });
});
