import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
// The project's own broker and its registry store, started in-process. Test-only dependencies: the
// simulator itself never imports the platform.
import { HearthbeatBroker } from '@hearthbeat/broker';
import { openRegistryStore, readRegistryFile, type SqliteRegistryStore } from '@hearthbeat/registry';
import { sleep, tempDir } from '@hearthbeat/testing';
import { countingSubscriber } from '../../test/counting.subscriber';
import { parseSimOptions } from '../cli/sim-options';
import { generateRegistry } from '../fleet/registry.generator';
import { fleetOptions, registryJson } from '../offline/offline.runner';
import { runLive } from './live.runner';

const quiet = () => new Writable({ write: (_chunk, _enc, done) => done() });
const ARGS = ['--residents', '480', '--elevators', '40', '--seed', 'project-broker'];

describe('live mode against the project broker (apps/broker)', () => {
  let dir: string;
  let store: SqliteRegistryStore;
  let broker: HearthbeatBroker;
  let registryFile: string;
  let engine: { username: string; password: string };

  beforeAll(async () => {
    dir = tempDir('sim-broker');
    registryFile = path.join(dir, 'registry.json');
    const registry = generateRegistry(fleetOptions(parseSimOptions(ARGS)));
    writeFileSync(registryFile, registryJson(registry));
    const file = await readRegistryFile(registryFile);
    if (!file.ok) throw new Error(JSON.stringify(file.problems));
    store = await openRegistryStore({ dataDir: dir });
    await store.importRegistry(file.value);
    broker = new HearthbeatBroker({
      registry: store,
      host: '127.0.0.1',
      mqttPort: 0,
      wsPort: null,
      httpPort: null,
      // Accelerated time packs a lift terminal's messages (up to 2 Hz) into fewer wall seconds.
      clientMsgRate: 2000,
      logger: pino({ level: 'silent' }),
    });
    await broker.start();
    const user = registry.users?.find((u) => u.role === 'service');
    engine = { username: user?.id ?? '', password: user?.password ?? '' };
  }, 60_000);

  afterAll(async () => {
    await broker?.stop();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs 1,000 devices with their registry secrets; the broker delivers exactly what was published', async () => {
    const url = `mqtt://127.0.0.1:${broker.ports.mqtt}`;
    const sub = await countingSubscriber(url, (t) => t.endsWith('/status'), engine);
    try {
      const opts = parseSimOptions(['--url', url, '--registry', registryFile, ...ARGS, '--speed', '120', '--duration', '6s', '--progress', 'none', '--incident-rate', '0']);
      const summary = await runLive(opts, { stdout: quiet() });
      const c = summary.counters;
      expect(c.devices).toBe(1000);
      expect(c.errors).toBe(0);
      expect(c.dropped).toBe(0);
      expect(c.acked).toBe(c.published);
      expect(c.unacked).toBe(0);
      // This broker also announces each device itself ({"online":true,"ts":...} retained, on connect),
      // so the subscriber sees one status more per device than the devices sent.
      await sub.waitFor(c.published + 1000, 15_000);
      await sleep(500);
      expect(sub.total()).toBe(c.published + 1000);
      expect(sub.counts.get('telemetry')).toBe(c.byChannel.telemetry);
      expect(sub.counts.get('event') ?? 0).toBe(c.byChannel.event);
      const fromBroker = sub.kept.filter((k) => k.payload.startsWith('{"online":true,"ts":'));
      expect(fromBroker).toHaveLength(1000);
      expect(sub.counts.get('status')).toBe(c.byChannel.status + 1000);
      expect(broker.rejections()).toEqual([]);
    } finally {
      await sub.close();
    }
  }, 60_000);
});
