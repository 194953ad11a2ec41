import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { connectAsync, type MqttClient } from 'mqtt';
import type { RegistryFile } from '@hearthbeat/contracts';
import { startPlatform, type Platform, type PlatformOptions } from '@hearthbeat/platform';
import { tempDir } from '@hearthbeat/testing';

// The screenshot script drives the same stack as the tests (and reaches the test helpers through here).
export { waitFor } from '@hearthbeat/testing';

/** apps/dashboard, from the sources (Jest) or from the compiled scripts (tmp/scripts/test/support). */
export const DASHBOARD_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.readFileSync(pkg, 'utf8').includes('"@hearthbeat/dashboard"')) return dir;
  }
  throw new Error(`apps/dashboard not found above ${from}`);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The browser tests run the built dashboard as the platform serves it. Tests never build (parallel
 * runs would race on dist/): `npm test` builds first. Like `builtEntry` of @hearthbeat/testing, this
 * refuses a missing or stale build with the command that fixes it.
 */
export function assertDashboardBuilt(): void {
  const index = path.join(DASHBOARD_ROOT, 'dist', 'index.html');
  if (!fs.existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` first (npm test does)`);
  const built = fs.statSync(index).mtimeMs;
  const sources = Math.max(newestSource(path.join(DASHBOARD_ROOT, 'src')), fs.statSync(path.join(DASHBOARD_ROOT, 'index.html')).mtimeMs);
  if (sources > built) throw new Error(`${index} is older than the dashboard's sources: run \`npm run build\` first (npm test does)`);
}

export interface DashboardStack {
  platform: Platform;
  baseUrl: string;
  mqttUrl: string;
  dataDir: string;
  /** An MQTT client for a device of the registry, connected with its secret (protocol.md: clientId = username = deviceId). */
  device(id: string): Promise<MqttClient>;
  /** Publishes one JSON message as a device (QoS 1, as devices do). */
  publish(id: string, channel: 'telemetry' | 'event' | 'status', payload: Record<string, unknown>): Promise<void>;
  /** Signs in through the API (setup steps that are not what a test looks at). */
  token(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

/** The whole platform in this process (registry, broker, engine, the dashboard at /), on free ports. */
export async function startDashboardStack(registry: RegistryFile, opts: { logLevel?: string; env?: Record<string, string>; clock?: PlatformOptions['clock'] } = {}): Promise<DashboardStack> {
  const dataDir = tempDir('dashboard');
  const registryFile = path.join(dataDir, 'registry.json');
  fs.writeFileSync(registryFile, JSON.stringify(registry));
  const env = {
    HB_HTTP_PORT: '0',
    HB_MQTT_PORT: '0',
    HB_MQTT_WS_PORT: '0',
    HB_HOST: '127.0.0.1',
    HB_DATA_DIR: dataDir,
    HB_REGISTRY_FILE: registryFile,
    HB_LOG_LEVEL: 'warn',
    // The browser tests sign in many times from one address.
    HB_LOGIN_MAX_FAILURES: '1000',
    ...opts.env,
  };
  // A test that plays days in minutes moves the engine's clock (the browser keeps the real one).
  const platform = await startPlatform({ env, logger: pino({ level: opts.logLevel ?? 'warn' }), ...(opts.clock ? { clock: opts.clock } : {}) });
  const baseUrl = `http://127.0.0.1:${platform.engine.httpPort}`;
  const mqttUrl = `mqtt://127.0.0.1:${platform.broker.ports.mqtt}`;
  const clients = new Map<string, MqttClient>();
  const device = async (id: string) => {
    const existing = clients.get(id);
    if (existing) return existing;
    const secret = registry.devices.find((d) => d.id === id)?.secret;
    if (!secret) throw new Error(`no secret for device ${id} in the registry`);
    const c = await connectAsync(mqttUrl, { clientId: id, username: id, password: secret, reconnectPeriod: 0, protocolVersion: 4 });
    clients.set(id, c);
    return c;
  };
  return {
    platform,
    baseUrl,
    mqttUrl,
    dataDir,
    device,
    async publish(id, channel, payload) {
      const c = await device(id);
      await c.publishAsync(`hb/v1/${id}/${channel}`, JSON.stringify(payload), { qos: 1 });
    },
    async token(username, password) {
      const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      const body: unknown = await res.json();
      const token = typeof body === 'object' && body !== null ? Reflect.get(body, 'token') : undefined;
      if (typeof token !== 'string') throw new Error(`login as ${username} failed: ${res.status}`);
      return token;
    },
    async stop() {
      await Promise.all([...clients.values()].map((c) => c.endAsync(true)));
      await platform.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
