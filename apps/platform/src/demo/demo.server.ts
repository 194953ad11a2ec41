import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Env } from '@hearthbeat/config';
import { parseSimOptions, runLive } from '@hearthbeat/devices-sim';
import { startPlatform, type Platform } from '../platform';
import { DEMO_FLEET, DEMO_SEED, DEMO_SITE, DEMO_USERS, demoRegistry } from './demo.registry';
import { watch } from './demo.watch';

export interface DemoOptions {
  env: Env;
  /** Seconds after start: a kitchen fire at R-0003 (smoke alarm) and a passenger trapped in EL-0001. */
  fireAfterS: number;
  entrapmentAfterS: number;
  /** Print live pushes as the `demo` staff user sees them (the same as `npm run demo -- --watch`). */
  watch: boolean;
  out(line: string): void;
  signal: AbortSignal;
}

export interface RunningDemo {
  platform: Platform;
  baseUrl: string;
  dataDir: string;
  /** Resolves when the fleet and the watcher have stopped (after the signal). */
  done: Promise<void>;
}

/** `2026-11-21T06:03:25Z`: the simulator takes absolute times to the second. */
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * `npm run demo`: the platform (broker + engine + API) on a fresh data directory, the simulator's fleet
 * live against the embedded broker, two incidents scheduled within the first minute, and a staff screen
 * printing what /ws pushes. Ports come from HB_*; MQTT defaults to a free port (1883 is often taken).
 */
export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const dataDir = o.env['HB_DATA_DIR'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hearthbeat-demo-'));
  const registryFile = path.join(dataDir, 'demo-registry.json');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(registryFile, JSON.stringify(demoRegistry(), null, 2));
  const env: Env = {
    HB_HTTP_PORT: '3000',
    HB_MQTT_PORT: '0',
    HB_MQTT_WS_PORT: '0',
    HB_HOST: '127.0.0.1',
    ...o.env,
    HB_DATA_DIR: dataDir,
    HB_REGISTRY_FILE: registryFile,
  };
  const logger = pino({ level: env['HB_LOG_LEVEL'] ?? 'warn' });
  const platform = await startPlatform({ env, logger });
  const baseUrl = `http://127.0.0.1:${platform.engine.httpPort}`;
  const mqttUrl = `mqtt://127.0.0.1:${platform.broker.ports.mqtt}`;
  const now = Date.now();
  const fireAt = now + o.fireAfterS * 1000;
  const trapAt = now + o.entrapmentAfterS * 1000;
  printBanner(o.out, { baseUrl, mqttUrl, dataDir, fireAt, trapAt, now });

  const sim = parseSimOptions([
    ...['--registry', registryFile, '--seed', DEMO_SEED, '--url', mqttUrl, '--progress', 'none', '--incident-rate', '0'],
    ...['--interval', String(DEMO_FLEET.meterIntervalS), '--heartbeat', String(DEMO_FLEET.heartbeatS)],
    ...['--scenario', `fire:R-0003@${utc(fireAt)}/5m`, '--scenario', `entrapment:EL-0001@${utc(trapAt)}/10m`],
  ]);
  const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const fleet = runLive(sim, { stdout: sink, signal: o.signal }).then(
    (summary) => o.out(`fleet stopped: ${summary.final.trim()}`),
    (err: unknown) => o.out(`fleet failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  const watcher = o.watch
    ? watch({ baseUrl, username: 'demo', password: 'demo-password', out: o.out, signal: o.signal, timeZone: DEMO_SITE.timezone }).catch((err: unknown) => {
        if (!o.signal.aborted) o.out(`watcher stopped: ${err instanceof Error ? err.message : String(err)}`);
      })
    : Promise.resolve();
  return { platform, baseUrl, dataDir, done: Promise.all([fleet, watcher]).then(() => undefined) };
}

function printBanner(out: (line: string) => void, v: { baseUrl: string; mqttUrl: string; dataDir: string; fireAt: number; trapAt: number; now: number }): void {
  const local = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { timeZone: DEMO_SITE.timezone });
  const port = new URL(v.baseUrl).port;
  const lines = [
    'Hearthbeat demo',
    `  API        ${v.baseUrl}   (Swagger UI ${v.baseUrl}/api/docs, health ${v.baseUrl}/health)`,
    `  MQTT       ${v.mqttUrl}`,
    `  data       ${v.dataDir}`,
    `  fleet      ${DEMO_FLEET.residents} homes (water meter + smoke alarm), ${DEMO_FLEET.elevators} lifts: devices-sim, live, seed "${DEMO_SEED}"`,
    `  site       ${DEMO_SITE.id} (${DEMO_SITE.timezone}); times below are local to it`,
    '  users',
    ...DEMO_USERS.map((u) => `    ${u.id.padEnd(6)} / ${u.password.padEnd(15)} ${u.role.padEnd(11)} ${u.what}`),
    '  coming up',
    `    ${local(v.fireAt)} (in ${Math.round((v.fireAt - v.now) / 1000)} s)  kitchen fire at R-0003: smoke.alarm, critical (staff screens)`,
    `    ${local(v.trapAt)} (in ${Math.round((v.trapAt - v.now) / 1000)} s)  a passenger rides EL-0001 to a far landing and the doors stay shut: elevator.entrapment 20 s after the car stops, about a minute in (maintainers)`,
    '',
    'Watch the live push yourself, in another terminal:',
    `  HB_HTTP_PORT=${port} npm run demo -- --watch                 # as demo (staff); add --user maint --password maint-password for lifts`,
    'or with curl and websocat:',
    `  TOKEN=$(curl -s -X POST ${v.baseUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"demo","password":"demo-password"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    `  websocat "ws://127.0.0.1:${port}/ws?token=$TOKEN"`,
    `  curl -s -X POST ${v.baseUrl}/api/alerts/AL-000001/ack -H "authorization: Bearer $TOKEN"   # acknowledge: every screen sees it`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  for (const l of lines) out(l);
}
