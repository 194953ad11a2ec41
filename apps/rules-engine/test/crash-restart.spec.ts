import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Alert } from '@hearthbeat/contracts';
import { HearthbeatBroker } from '@hearthbeat/broker';
import { openRegistryStore, type SqliteRegistryStore } from '@hearthbeat/registry';
import { builtEntry, sleep, tempDir, waitFor } from '@hearthbeat/testing';
import { ENGINE_DB_FILE } from '../src';
import { SERVICE, smallRegistry } from './support/engine.harness';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The engine as a separate process, killed with SIGKILL while an alert is open and a deadline is
 * pending. The broker (in this process) keeps the engine's persistent session and queues what devices
 * publish meanwhile.
 */
describe('engine crash (SIGKILL) and restart', () => {
  let dataDir: string;
  let registry: SqliteRegistryStore;
  let broker: HearthbeatBroker;
  let engine: ChildProcess | undefined;
  const clients: MqttClient[] = [];

  let main: string;
  beforeAll(() => {
    main = builtEntry(ROOT, 'apps/rules-engine', 'main.js');
  });

  afterAll(async () => {
    engine?.kill('SIGKILL');
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.stop();
    registry?.close();
  });

  const alerts = (): Alert[] => {
    const db = new Database(path.join(dataDir, ENGINE_DB_FILE), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT doc FROM alerts ORDER BY opened_at').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Alert);
    } finally {
      db.close();
    }
  };

  const startEngine = async (port: number): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        HB_DATA_DIR: dataDir,
        HB_HTTP_PORT: '0',
        HB_HOST: '127.0.0.1',
        HB_ENGINE_MQTT_URL: `mqtt://127.0.0.1:${port}`,
        HB_ENGINE_MQTT_USERNAME: SERVICE.id,
        HB_ENGINE_MQTT_PASSWORD: SERVICE.password,
        HB_ENGINE_RESTART_GRACE_S: '1',
        HB_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(`engine to listen (output: ${out})`, () => out.includes('"msg":"engine listening"'), 20_000);
    return child;
  };

  it('loses nothing, duplicates nothing, and fires a deadline that passed while down exactly once', async () => {
    dataDir = tempDir('crash');
    registry = await openRegistryStore({ dataDir, deviceSecretCost: { N: 16, r: 1, p: 1 }, passwordCost: { N: 16, r: 1, p: 1 } });
    const file = smallRegistry({ 'water.no_activity': { windowS: 3, minLiters: 10 } });
    await registry.importRegistry({ ...file, users: [{ id: SERVICE.id, role: 'service', sites: [], password: SERVICE.password }] });
    broker = new HearthbeatBroker({ registry, host: '127.0.0.1', mqttPort: 0, wsPort: null, httpPort: null, logger: pino({ level: 'silent' }) });
    const port = (await broker.start()).mqtt;
    const device = async (id: string) => {
      const c = await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: id, username: id, password: `secret-${id}`, reconnectPeriod: 0 });
      clients.push(c);
      return c;
    };

    engine = await startEngine(port);
    const alarm = await device('SA-0001');
    const meter = await device('WM-0003');
    const t0 = Date.now();
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: t0, seq: 1, event: 'alarm' }), { qos: 1 });
    const smoke = await waitFor('smoke.alarm stored', () => alerts().find((a) => a.rule === 'smoke.alarm'));
    await waitFor('WM-0002 offline stored', () => alerts().find((a) => a.rule === 'water.meter_offline' && a.deviceId === 'WM-0002'), 8000);
    await meter.publishAsync('hb/v1/WM-0003/telemetry', JSON.stringify({ ts: Date.now(), seq: 1, totalL: 500 }), { qos: 1 });
    await sleep(300); // the reading is persisted before its PUBACK; give the step time to commit
    expect(alerts().filter((a) => a.rule === 'water.no_activity')).toHaveLength(0);

    engine.kill('SIGKILL');
    await new Promise((r) => engine?.once('exit', r));

    // While the engine is down: a second alarm (queued by the broker for the engine's session) and the
    // no-activity deadline passes.
    await alarm.publishAsync('hb/v1/SA-0001/event', JSON.stringify({ ts: Date.now(), seq: 2, event: 'alarm' }), { qos: 1 });
    await sleep(5000);
    expect(alerts().filter((a) => a.rule === 'water.no_activity')).toHaveLength(0);

    engine = await startEngine(port);
    const noActivity = await waitFor('water.no_activity after the grace', () => alerts().find((a) => a.rule === 'water.no_activity'), 10_000);
    expect(noActivity).toMatchObject({ subject: { id: 'R-0003' }, state: 'open' });
    await waitFor(`the queued alarm to land on the open alert: ${JSON.stringify(alerts().find((a) => a.rule === 'smoke.alarm'))}`, () => alerts().find((a) => a.rule === 'smoke.alarm' && a.count === 2), 10_000);
    await sleep(2500); // anything that would fire twice has had time to

    const after = alerts();
    expect(after.filter((a) => a.rule === 'water.no_activity')).toHaveLength(1);
    const smokeAfter = after.filter((a) => a.rule === 'smoke.alarm');
    expect(smokeAfter).toHaveLength(1);
    expect(smokeAfter[0]).toMatchObject({ id: smoke.id, state: 'open', count: 2, openedAt: smoke.openedAt });
    expect(smokeAfter[0]?.timeline.slice(0, smoke.timeline.length)).toEqual(smoke.timeline);
    expect(after.filter((a) => a.rule === 'water.meter_offline' && a.deviceId === 'WM-0002')).toHaveLength(1);
    // No storm: devices with long intervals were not called offline because the engine was down.
    expect(after.filter((a) => a.rule.endsWith('offline') && ['WM-0001', 'SA-0001', 'EL-0001'].includes(a.deviceId ?? ''))).toHaveLength(0);
  }, 60_000);
});
