import pino from 'pino';
import { connectAsync, type MqttClient } from 'mqtt';
import type { RegistryFile } from '@hearthbeat/contracts';
import { HearthbeatBroker } from '@hearthbeat/broker';
import { openRegistryStore, type SqliteRegistryStore } from '@hearthbeat/registry';
import { startMosquitto, tempDir, type MosquittoServer } from '@hearthbeat/testing';
import { loadEngineConfig, startEngineApp, type Clock, type EngineApp } from '../../src';

export const SERVICE = { id: 'svc-engine', password: 'svc-engine-password' };

export interface Stack {
  dataDir: string;
  registry: SqliteRegistryStore;
  mqttPort: number;
  engine: EngineApp;
  /** An MQTT device client; the secret comes from the registry file unless given. */
  device(id: string, secret?: string): Promise<MqttClient>;
  /** Stops the engine only (the broker and registry stay), as a crash of the engine process would. */
  stopEngine(): Promise<void>;
  startEngine(): Promise<EngineApp>;
  stop(): Promise<void>;
}

/** Registry + a real broker (the project's, or Debian's mosquitto) + the engine app, all on loopback. */
export async function startStack(opts: {
  file: RegistryFile;
  broker: 'hearthbeat' | 'mosquitto';
  clock?: Clock;
  graceS?: number;
  dataDir?: string;
  /** Extra HB_* variables for the engine (token lifetime, heartbeat, webhook retry timings). */
  env?: Record<string, string>;
}): Promise<Stack> {
  const dataDir = opts.dataDir ?? tempDir('engine');
  const logger = pino({ level: 'silent' });
  const registry = await openRegistryStore({ dataDir, deviceSecretCost: { N: 16, r: 1, p: 1 }, passwordCost: { N: 16, r: 1, p: 1 } });
  await registry.importRegistry({ ...opts.file, users: [...(opts.file.users ?? []), { id: SERVICE.id, role: 'service', sites: [], password: SERVICE.password }] });
  let broker: HearthbeatBroker | undefined;
  let mosquitto: MosquittoServer | undefined;
  let mqttPort: number;
  if (opts.broker === 'hearthbeat') {
    broker = new HearthbeatBroker({ registry, host: '127.0.0.1', mqttPort: 0, wsPort: null, httpPort: null, logger, clientMsgRate: 10_000 });
    mqttPort = (await broker.start()).mqtt;
  } else {
    const users = [SERVICE, ...opts.file.devices.map((d) => ({ id: d.id, password: d.secret ?? '' }))].map((u) => ({ name: u.id, password: u.password }));
    mosquitto = await startMosquitto({ users });
    mqttPort = mosquitto.port;
  }
  const config = loadEngineConfig(
    { HB_DATA_DIR: dataDir, HB_HTTP_PORT: '0', HB_HOST: '127.0.0.1', HB_ENGINE_RESTART_GRACE_S: String(opts.graceS ?? 0), ...opts.env },
    { mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, mqttUsername: SERVICE.id, mqttPassword: SERVICE.password },
  );
  const start = () =>
    startEngineApp({
      config,
      registry,
      logger,
      ...(opts.clock ? { clock: opts.clock } : {}),
      // As startPlatform does: the in-process broker's readiness, metrics and rejection table.
      ...(broker ? { broker: { ready: () => broker?.listening ?? false, metrics: broker.metrics, rejections: (id?: string) => broker?.rejections(id) ?? [] } } : {}),
    });
  const clients: MqttClient[] = [];
  const stack: Stack = {
    dataDir,
    registry,
    mqttPort,
    engine: await start(),
    async device(id, given) {
      const secret = given ?? opts.file.devices.find((d) => d.id === id)?.secret;
      const c = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: id, username: id, password: secret ?? '', reconnectPeriod: 0, protocolVersion: 4 });
      clients.push(c);
      return c;
    },
    stopEngine: () => stack.engine.close(),
    async startEngine() {
      stack.engine = await start();
      return stack.engine;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await stack.engine.close();
      await broker?.stop();
      await mosquitto?.stop();
      registry.close();
    },
  };
  return stack;
}

/** A small registry: one site in Shanghai, residents with meters and alarms, one elevator. */
export function smallRegistry(rules: RegistryFile['sites'][number]['rules'] = {}): RegistryFile {
  return {
    sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai', rules }],
    residents: [
      { id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001', 'SA-0001'] },
      { id: 'R-0002', site: 'jiangsu-road', name: 'Li', devices: ['WM-0002'] },
      // A meter that reports every second but is only called offline after an hour of silence.
      { id: 'R-0003', site: 'jiangsu-road', name: 'Zhao', devices: ['WM-0003'], rules: { 'water.meter_offline': { afterS: 3600 } } },
    ],
    elevators: [{ id: 'EL-0001', site: 'jiangsu-road', building: 'No. 3', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
    devices: [
      { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-WM-0001' },
      { id: 'WM-0002', kind: 'water_meter', reportIntervalS: 1, secret: 'secret-WM-0002' },
      { id: 'WM-0003', kind: 'water_meter', reportIntervalS: 1, secret: 'secret-WM-0003' },
      { id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 3600, secret: 'secret-SA-0001' },
      { id: 'EL-0001', kind: 'elevator', reportIntervalS: 30, secret: 'secret-EL-0001' },
    ],
  };
}
