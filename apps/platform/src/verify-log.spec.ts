import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { connectAsync } from 'mqtt';
import { builtEntry, tempDir, waitFor } from '@hearthbeat/testing';
import { startPlatform, type Platform } from './platform';

/*
 * `npm run verify-log -- FILE` as an auditor runs it: the built dist/verify-log.js in a child process,
 * on a real export (GET /api/audit/log.jsonl of a running platform), intact and then tampered with.
 */
const ROOT = path.resolve(__dirname, '../../..');

const REGISTRY = {
  sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
  residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['SA-0001'] }],
  elevators: [{ id: 'EL-0001', site: 'jiangsu-road', minFloor: 1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
  devices: [
    { id: 'SA-0001', kind: 'smoke_alarm', secret: 'secret-sa-0001' },
    { id: 'EL-0001', kind: 'elevator', reportIntervalS: 3600, secret: 'secret-el-0001' },
  ],
  users: [
    { id: 'li.bin', password: 'staff-password', role: 'staff', sites: ['jiangsu-road'] },
    { id: 'lift.tech', password: 'maint-password', role: 'maintainer', sites: ['jiangsu-road'] },
    { id: 'admin', password: 'admin-password', role: 'admin', sites: [] },
  ],
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('verify-log on an exported audit log', () => {
  let platform: Platform | undefined;
  let dir: string;
  let cli: string;
  let lines: string[];
  let head: { seq: number; hash: string };
  let closeDetector: (() => Promise<void>) | undefined;

  const verify = (name: string, content: string[], extra: string[] = []): Run => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${content.join('\n')}\n`);
    const r = spawnSync(process.execPath, [cli, file, ...extra], { encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    cli = builtEntry(ROOT, 'apps/platform', 'verify-log.js');
    dir = tempDir('verify-log');
    const file = path.join(dir, 'registry.json');
    fs.writeFileSync(file, JSON.stringify(REGISTRY));
    const env = { HB_DATA_DIR: path.join(dir, 'data'), HB_REGISTRY_FILE: file, HB_HOST: '127.0.0.1', HB_MQTT_PORT: '0', HB_MQTT_WS_PORT: '0', HB_HTTP_PORT: '0' };
    platform = await startPlatform({ env, logger: pino({ level: 'silent' }) });
    const p = platform;
    const base = `http://127.0.0.1:${p.engine.httpPort}`;
    const api = async (method: string, url: string, token: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      expect(res.status).toBeLessThan(300);
      return res;
    };
    const login = async (username: string, password: string): Promise<string> => {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      return ((await res.json()) as { token: string }).token;
    };
    const detector = await connectAsync(`mqtt://127.0.0.1:${p.broker.ports.mqtt}`, { clientId: 'SA-0001', username: 'SA-0001', password: 'secret-sa-0001', reconnectPeriod: 0 });
    await detector.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 1, event: 'alarm' }), { qos: 1 });
    const alarm = await waitFor('the alarm', () => p.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm'));
    const staff = await login('li.bin', 'staff-password');
    const maint = await login('lift.tech', 'maint-password');
    await api('POST', `/api/alerts/${alarm.id}/ack`, staff, {});
    await api('POST', '/api/elevators/EL-0001/maintenance', maint, { action: 'arrived', note: 'quarterly service' });
    await api('POST', `/api/alerts/${alarm.id}/on-site`, staff, { note: 'at the door' });
    await api('POST', '/api/elevators/EL-0001/maintenance', maint, { action: 'work_done', note: 'door rollers replaced' });
    await api('POST', `/api/alerts/${alarm.id}/resolve`, staff, { outcome: 'false_alarm', note: 'burnt toast' });
    await api('POST', '/api/elevators/EL-0001/maintenance', maint, { action: 'departed' });
    // Kept connected until the end: a detector dropping off during an alarm counts as the fire going on.
    closeDetector = () => detector.endAsync(true);
    const admin = await login('admin', 'admin-password');
    const exported = await (await api('GET', '/api/audit/log.jsonl', admin)).text();
    lines = exported.trimEnd().split('\n');
    head = (await (await api('GET', '/api/audit/head', admin)).json()) as { seq: number; hash: string };
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`hb_audit_head_info{hash="${head.hash}",seq="${head.seq}"} 1`);
    expect(metrics).toMatch(new RegExp(`^hb_audit_entries ${head.seq}$`, 'm'));
  });
  afterAll(async () => {
    await platform?.stop();
    await closeDetector?.();
  });

  it('passes on the intact export, and with the published head as anchor', () => {
    const actions = lines.map((l) => (JSON.parse(l) as { entry: { kind: string; action: string } }).entry).map((e) => `${e.kind}:${e.action}`);
    expect(actions).toEqual(['alert:opened', 'alert:acknowledged', 'maintenance:arrived', 'alert:on_site', 'maintenance:work_done', 'alert:resolved', 'maintenance:departed']);
    expect(head).toMatchObject({ seq: 7 });
    const r = verify('intact.jsonl', lines, ['--head', head.hash]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toContain(`OK: 7 entries, chain intact; head seq 7 hash ${head.hash}`);
  });

  it('names the edited entry', () => {
    const edited = [...lines];
    edited[4] = (edited[4] ?? '').replace('door rollers replaced', 'nothing to do');
    const r = verify('edited.jsonl', edited);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^TAMPERED \(edited\): line 5 \(seq 5\): /);
  });

  it('names the removed entry', () => {
    const r = verify('removed.jsonl', lines.filter((_, i) => i !== 2));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^TAMPERED \(removed\): seq 3 is missing before line 3 \(seq 4\)/);
  });

  it('names the moved entry', () => {
    const moved = [...lines];
    const [second] = moved.splice(1, 1);
    moved.splice(4, 0, second ?? '');
    const r = verify('moved.jsonl', moved);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^TAMPERED \(moved\): line 5 \(seq 2\): this entry was moved: it belongs at line 2/);
  });

  it('catches a log cut short against the anchored head, and refuses bad usage', () => {
    const r = verify('short.jsonl', lines.slice(0, 5), ['--head', head.hash]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^TAMPERED \(head_not_found\)/);
    expect(spawnSync(process.execPath, [cli], { encoding: 'utf8' }).status).toBe(2);
  });
});
