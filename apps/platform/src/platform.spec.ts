import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { tempDir, waitFor } from '@hearthbeat/testing';
import { startPlatform, type Platform } from './platform';

/**
 * The start command's composition: registry file imported, broker and engine in one process on
 * embedded defaults (ports 0 here), an outside client (Debian's mosquitto_pub) raising an alert.
 */
describe('startPlatform (npm start)', () => {
  let platform: Platform | undefined;
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });

  const registry = {
    sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
    residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['SA-0001'] }],
    elevators: [],
    devices: [{ id: 'SA-0001', kind: 'smoke_alarm', secret: 'secret-sa-0001' }],
  };

  it('runs broker and engine together: a device publishes, the engine opens an alert, /health and /metrics cover both', async () => {
    const dir = tempDir('platform');
    const file = path.join(dir, 'registry.json');
    fs.writeFileSync(file, JSON.stringify(registry));
    const env = { HB_DATA_DIR: path.join(dir, 'data'), HB_REGISTRY_FILE: file, HB_HOST: '127.0.0.1', HB_MQTT_PORT: '0', HB_MQTT_WS_PORT: '0', HB_HTTP_PORT: '0' };
    platform = await startPlatform({ env, logger: pino({ level: 'silent' }) });
    const port = platform.broker.ports.mqtt;
    // Asynchronous: the broker runs in this process and must answer while mosquitto_pub waits.
    const args = ['-h', '127.0.0.1', '-p', String(port), '-i', 'SA-0001', '-u', 'SA-0001', '-P', 'secret-sa-0001', '-q', '1', '-t', 'hb/v1/SA-0001/event'];
    await promisify(execFile)('mosquitto_pub', [...args, '-m', JSON.stringify({ ts: Date.now(), event: 'alarm' })], { timeout: 10_000 });
    const p = platform;
    const alert = await waitFor('smoke.alarm', () => p.engine.runtime.driver.rules.alerts().find((a) => a.rule === 'smoke.alarm'));
    expect(alert).toMatchObject({ subject: { type: 'resident', id: 'R-0001' }, severity: 'critical', state: 'open' });

    const base = `http://127.0.0.1:${platform.engine.httpPort}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    // Telemetry history (embedded by default) is reported beside readiness, never part of it.
    expect(await health.json()).toMatchObject({ status: 'ready', store: true, engine: true, mqtt: true, broker: true, telemetry: { store: 'embedded', dropped: 0 } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^hb_engine_messages_total\{channel="event"\} 1$/m);
    expect(metrics).toMatch(/^hb_broker_/m);
  });

  it('refuses to start on an invalid registry file, naming the problem', async () => {
    const dir = tempDir('platform-bad');
    const file = path.join(dir, 'registry.json');
    fs.writeFileSync(file, JSON.stringify({ ...registry, residents: [{ id: 'R-0001', site: 'nowhere', devices: [] }] }));
    const env = { HB_DATA_DIR: path.join(dir, 'data'), HB_REGISTRY_FILE: file, HB_HOST: '127.0.0.1', HB_MQTT_PORT: '0', HB_MQTT_WS_PORT: '0', HB_HTTP_PORT: '0' };
    await expect(startPlatform({ env, logger: pino({ level: 'silent' }) })).rejects.toThrow(/residents\[0\]\.site: unknown site "nowhere"/);
  });

  it('fails fast on a bad variable, naming it', async () => {
    await expect(startPlatform({ env: { HB_MQTT_PORT: 'many' }, logger: pino({ level: 'silent' }) })).rejects.toThrow(/^HB_MQTT_PORT: /);
  });
});
