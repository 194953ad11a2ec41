import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { connectAsync, type MqttClient } from 'mqtt';
import type { AlertFileLine, RegistryFile } from '@hearthbeat/contracts';
import { HearthbeatBroker } from '@hearthbeat/broker';
import { openRegistryStore, type SqliteRegistryStore } from '@hearthbeat/registry';
import { alertFileLineOf, buildCoreRegistry } from '@hearthbeat/rules-core';
import { loadEngineConfig, startEngineApp, type Clock, type EngineApp } from '@hearthbeat/rules-engine';
import { tempDir, waitFor } from '@hearthbeat/testing';
import { MessageDecoder, StaffModel, parseBacktestOptions, runBacktest } from '../src';

/**
 * The same short message log through the live engine (real project broker, real MQTT clients, the engine
 * app with an injected clock set to each line's `t` before it is published) and through the backtest
 * (from the file): the alert state changes must be the same (rule, subject, state, t), alert ids too.
 * Both drive the one RulesCore; this checks the drivers (parsing, ordering, deadlines, staff) agree.
 */

const MIN = 60_000;
const H = 60 * MIN;
const SERVICE = { id: 'svc-engine', password: 'svc-engine-password' };

/** Shanghai 06:00 two days ago: device `ts` are in the past for the broker's wall-clock checks. */
function startOfLog(): number {
  const midnight = Math.floor((Date.now() + 8 * H) / (24 * H)) * 24 * H - 8 * H;
  return midnight - 2 * 24 * H + 6 * H;
}

const registry: RegistryFile = {
  sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
  residents: [
    // A short no-activity window so that a deadline fires within the log (with no message).
    { id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001', 'SA-0001'], rules: { 'water.no_activity': { windowS: 7200 } } },
    { id: 'R-0002', site: 'jiangsu-road', name: 'Li', devices: ['WM-0002'] },
  ],
  elevators: [],
  devices: [
    { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-WM-0001' },
    { id: 'WM-0002', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-WM-0002' },
    { id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 3600, secret: 'secret-SA-0001' },
  ],
};

interface LogLine {
  t: number;
  topic: string;
  payload: unknown;
}

/** Six hours: a quiet home (no-activity by deadline), a fire alarm, a meter outage and return, a long flow, garbage. */
function messageLog(t0: number): LogLine[] {
  const out: LogLine[] = [];
  const seq: Record<string, number> = {};
  const add = (ts: number, device: string, channel: string, payload: Record<string, unknown> | string) => {
    seq[device] = (seq[device] ?? 0) + 1;
    out.push({ t: ts + 1500, topic: `hb/v1/${device}/${channel}`, payload: typeof payload === 'string' ? payload : { ts, seq: seq[device], ...payload } });
  };
  for (const d of ['WM-0001', 'SA-0001', 'WM-0002']) out.push({ t: t0, topic: `hb/v1/${d}/status`, payload: { online: true } });
  let a = 1000;
  let b = 5000;
  for (let m = 15; m <= 6 * 60; m += 15) {
    const ts = t0 + m * MIN;
    if (m <= 45) a += 6; // R-0001 uses water for the first 45 min only
    add(ts, 'WM-0001', 'telemetry', { totalL: a });
    const outage = m > 60 && m < 180;
    if (m >= 180 && m <= 255) b += 18; // a tap running (1.2 L/min) for over an hour after the meter came back
    if (!outage) add(ts + 20_000, 'WM-0002', 'telemetry', { totalL: b });
    if (m % 60 === 0) add(ts + 40_000, 'SA-0001', 'telemetry', { batteryPct: 90 });
  }
  add(t0 + 61 * MIN, 'WM-0001', 'telemetry', '{"ts":17');
  add(t0 + 125 * MIN, 'SA-0001', 'event', { event: 'alarm' });
  add(t0 + 140 * MIN, 'SA-0001', 'event', { event: 'alarm_cleared' });
  return out.sort((x, y) => x.t - y.t);
}

/** The engine's only clock, set by the test. */
class VirtualClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

const key = (l: AlertFileLine) => [l.t, l.alertId, l.rule, l.subject.id, l.state, l.outcome ?? ''];

describe('live engine and backtest agree on the same message log', () => {
  let store: SqliteRegistryStore | undefined;
  let broker: HearthbeatBroker | undefined;
  let engine: EngineApp | undefined;
  const clients: MqttClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await engine?.close();
    await broker?.stop();
    store?.close();
  });

  it('produces the same alert state changes (rule, subject, state, t)', async () => {
    const t0 = startOfLog();
    const log = messageLog(t0);
    const dir = tempDir('parity');

    // ---- backtest from the file -----------------------------------------------------------------
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(registry));
    writeFileSync(join(dir, 'messages.jsonl'), log.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const summary = await runBacktest(
      parseBacktestOptions(['--registry', join(dir, 'registry.json'), '--input', join(dir, 'messages.jsonl'), '--output', join(dir, 'alerts.jsonl')]),
    );
    const expected = (await import('node:fs')).readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AlertFileLine);
    expect(new Set(expected.map((l) => l.rule))).toEqual(new Set(['water.no_activity', 'water.meter_offline', 'smoke.alarm', 'water.continuous_flow']));
    expect(summary.stats.rejected).toEqual({ not_json: 1 });

    // ---- live: registry store, project broker, engine app with the virtual clock --------------------
    const logger = pino({ level: 'silent' });
    const liveDir = join(dir, 'live');
    store = await openRegistryStore({ dataDir: liveDir, deviceSecretCost: { N: 16, r: 1, p: 1 }, passwordCost: { N: 16, r: 1, p: 1 } });
    await store.importRegistry({ ...registry, users: [{ id: SERVICE.id, role: 'service', sites: [], password: SERVICE.password }] });
    broker = new HearthbeatBroker({ registry: store, host: '127.0.0.1', mqttPort: 0, wsPort: null, httpPort: null, logger, clientMsgRate: 10_000 });
    const port = (await broker.start()).mqtt;
    const clock = new VirtualClock(t0);
    const config = loadEngineConfig(
      { HB_DATA_DIR: liveDir, HB_HTTP_PORT: '0', HB_HOST: '127.0.0.1', HB_ENGINE_RESTART_GRACE_S: '0' },
      { mqttUrl: `mqtt://127.0.0.1:${port}`, mqttUsername: SERVICE.id, mqttPassword: SERVICE.password },
    );
    engine = await startEngineApp({ config, registry: store, logger, clock });
    const runtime = engine.runtime;
    await waitFor('the engine subscribed', () => runtime.ready.mqtt || undefined, 10_000);
    const driver = runtime.driver;
    const staff = new StaffModel({ ackAfterMs: 10 * MIN, resolveAfterMs: 2 * H });
    const actual: AlertFileLine[] = [];
    driver.events$.subscribe(({ event }) => {
      if (event.type !== 'alert') return;
      const line = alertFileLineOf(event);
      if (line) actual.push(line);
      staff.observe(event);
    });
    let admitted = 0;
    driver.admitted$.subscribe(() => admitted++);
    for (const d of registry.devices) {
      clients.push(await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: d.id, username: d.id, password: d.secret ?? '', reconnectPeriod: 0, protocolVersion: 4 }));
    }
    const clientOf = new Map(registry.devices.map((d, i) => [d.id, clients[i] as MqttClient]));
    const decoder = new MessageDecoder(registry);

    for (const line of log) {
      // Everything due before the line, in time order: core deadlines first on a tie, then the staff.
      for (;;) {
        const d = driver.rules.nextDeadline() ?? Number.POSITIVE_INFINITY;
        const s = staff.peekTime() ?? Number.POSITIVE_INFINITY;
        if (Math.min(d, s) > line.t) break;
        clock.t = Math.min(d, s);
        if (d <= s) driver.tick();
        else driver.act((core) => staff.runNext(core));
      }
      clock.t = line.t;
      const deviceId = line.topic.split('/')[2] as string;
      const payload = typeof line.payload === 'string' ? line.payload : JSON.stringify(line.payload);
      const before = admitted;
      await (clientOf.get(deviceId) as MqttClient).publishAsync(line.topic, payload, { qos: 1, retain: line.topic.endsWith('/status') });
      // A line the contracts refuse is dropped by the broker (acknowledged, never forwarded): nothing to wait for.
      if (decoder.decode(JSON.stringify(line)).ok) await waitFor(`line at ${line.t} applied`, () => admitted > before || undefined, 5000);
    }
    for (;;) {
      const d = driver.rules.nextDeadline() ?? Number.POSITIVE_INFINITY;
      const s = staff.peekTime() ?? Number.POSITIVE_INFINITY;
      const last = log[log.length - 1]?.t ?? t0;
      if (Math.min(d, s) > last) break;
      clock.t = Math.min(d, s);
      if (d <= s) driver.tick();
      else driver.act((core) => staff.runNext(core));
    }

    expect(actual.map(key)).toEqual(expected.map(key));
    expect(actual.length).toBeGreaterThanOrEqual(10);
    // The backtest's registry is the same one the live engine imported.
    expect(buildCoreRegistry(registry).residents).toHaveLength(2);
  });
});
