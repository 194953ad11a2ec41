import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadPlatformConfig } from '@hearthbeat/config';
import { startInfluxDb1, type InfluxDb1Server } from '@hearthbeat/testing';
import { InfluxQlClient } from './influx/influxql.client';
import { toLineProtocol } from './points/line-protocol.serializer';
import { MessagePointsMapper } from './points/message-points.mapper';
import { DAY } from './test-support/messages';
import { elevatorHistory, syntheticFleet, waterHistory } from './test-support/synthetic-history';

/**
 * docker/ cannot run here (no Docker engine), so its files are checked for what would break a
 * deployment: YAML syntax (js-yaml, already in the workspace through @nestjs/swagger and eslint),
 * the wiring between compose, the image, InfluxDB's setup and Grafana's provisioning, the platform's
 * environment as libs/config reads it, and every dashboard query run on a real InfluxDB (1.6).
 */
const DOCKER = path.resolve(__dirname, '../../../docker');
const read = (f: string) => fs.readFileSync(path.join(DOCKER, f), 'utf8');
const yaml = (f: string) => load(read(f)) as Record<string, unknown>;
const obj = (v: unknown): Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`expected a mapping, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
};
const MEASUREMENTS = ['water', 'elevator_state', 'elevator_trip', 'elevator_door_cycle', 'elevator_downtime', 'device_event', 'device_health', 'device_status'];

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: Array<{ query: string; rawQuery: boolean }>;
}
const dashboards = () =>
  fs
    .readdirSync(path.join(DOCKER, 'grafana/dashboards'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, json: JSON.parse(read(`grafana/dashboards/${f}`)) as { uid: string; title: string; panels: Panel[] } }));

describe('docker/', () => {
  const compose = yaml('compose.yaml');
  const services = obj(compose.services);

  it('compose.yaml: InfluxDB 2 set up with a DBRP mapping script, Grafana and the platform, volumes declared', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['influxdb', 'platform', 'grafana']));
    const influx = obj(services.influxdb);
    expect(String(influx.image)).toMatch(/^influxdb:2\./);
    const env = obj(influx.environment);
    for (const k of ['MODE', 'USERNAME', 'PASSWORD', 'ORG', 'BUCKET', 'ADMIN_TOKEN', 'RETENTION']) expect(env[`DOCKER_INFLUXDB_INIT_${k}`]).toBeDefined();
    expect(env.DOCKER_INFLUXDB_INIT_MODE).toBe('setup');
    const mount = (influx.volumes as string[]).find((v) => v.includes('/docker-entrypoint-initdb.d/'));
    const script = path.join(DOCKER, String(mount?.split(':')[0]));
    expect(fs.statSync(script).mode & 0o111).not.toBe(0); // the entrypoint runs executable *.sh only
    expect(fs.readFileSync(script, 'utf8')).toMatch(/influx v1 dbrp create[\s\S]*--bucket-id "\$\{DOCKER_INFLUXDB_INIT_BUCKET_ID\}"/);
    const declared = Object.keys(obj(compose.volumes));
    for (const [name, s] of Object.entries(services)) {
      for (const v of (obj(s).volumes as string[] | undefined) ?? []) {
        const source = v.split(':')[0] ?? '';
        if (source.startsWith('.')) expect([name, fs.existsSync(path.join(DOCKER, source))]).toEqual([name, true]);
        else expect(declared).toContain(source);
      }
    }
  });

  it('compose.yaml: the platform image and environment are what the config lib and the telemetry factory expect', () => {
    const platform = obj(services.platform);
    const build = obj(platform.build);
    expect(path.resolve(DOCKER, String(build.context), String(build.dockerfile))).toBe(path.join(DOCKER, 'Dockerfile'));
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/npm install/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/CMD \["node", "apps\/platform\/dist\/main\.js"\]/);
    expect(fs.existsSync(path.resolve(DOCKER, '../apps/platform/src/main.ts'))).toBe(true);
    // Resolve ${VAR:-default} and ${VAR:?err} the way compose does, with docker/.env.example's values.
    const example = Object.fromEntries(
      read('.env.example')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1) || 'x'] as const),
    );
    const resolve = (v: string) =>
      v.replace(/\$\{([A-Z_]+)(?::[-?]([^}]*))?\}/g, (_m, name: string, def?: string) => example[name] ?? (def && !def.startsWith('set ') ? def : ''));
    const env = Object.fromEntries(Object.entries(obj(platform.environment)).map(([k, v]) => [k, resolve(String(v))]).filter(([, v]) => v !== ''));
    const config = loadPlatformConfig(env);
    expect(config.telemetryStore).toBe('influx');
    expect(config.influx).toEqual({ url: 'http://influxdb:8086', token: example.HB_INFLUX_TOKEN, org: 'hearthbeat', bucket: 'telemetry' });
    expect(config.dataDir).toBe('/data');
  });

  it('grafana: an InfluxQL data source with a token header, and dashboards that use it', () => {
    const ds = (yaml('grafana/provisioning/datasources/influxdb.yaml').datasources as Array<Record<string, unknown>>)[0] ?? {};
    expect(ds).toMatchObject({ type: 'influxdb', uid: 'hearthbeat-influxql', url: 'http://influxdb:8086' });
    expect(obj(ds.jsonData)).toMatchObject({ version: 'InfluxQL', httpHeaderName1: 'Authorization' });
    expect(obj(ds.secureJsonData).httpHeaderValue1).toMatch(/^Token \$\{[A-Z_]+\}$/);
    const grafana = obj(services.grafana);
    expect(Object.keys(obj(grafana.environment))).toEqual(expect.arrayContaining(['HB_INFLUX_BUCKET', 'GRAFANA_INFLUX_TOKEN']));
    expect(obj((yaml('grafana/provisioning/dashboards/hearthbeat.yaml').providers as unknown[])[0]).options).toEqual({ path: '/var/lib/grafana/dashboards' });
    const all = dashboards();
    expect(all.map((d) => d.json.uid).sort()).toEqual(['hearthbeat-devices-offline', 'hearthbeat-elevator-faults', 'hearthbeat-water']);
    for (const { json } of all) {
      for (const p of json.panels) {
        expect([p.title, p.datasource.uid]).toEqual([p.title, 'hearthbeat-influxql']);
        for (const t of p.targets) {
          const from = [...t.query.matchAll(/FROM "([a-z_]+)"/g)].map((m) => m[1]);
          expect(from.length).toBeGreaterThan(0);
          for (const m of from) expect(MEASUREMENTS).toContain(m);
        }
      }
    }
  });

  describe('dashboard queries on a real InfluxDB', () => {
    let influx: InfluxDb1Server;
    const START = Date.parse('2025-03-04T16:00:00Z');
    beforeAll(async () => {
      influx = await startInfluxDb1();
      await influx.query('CREATE DATABASE telemetry');
      const fleet = syntheticFleet(3, 1);
      const mapper = new MessagePointsMapper();
      const lines: string[] = [];
      for (const gen of [waterHistory(fleet, START, 2, 3), elevatorHistory(fleet, START, 2, 3)]) {
        for (const m of gen) for (const p of mapper.map(m.message, m.subject, m.receivedAt)) lines.push(toLineProtocol(p));
      }
      lines.push(`device_status,device=SA-0001,kind=smoke_alarm,site=s,subject=R-0001,subject_type=resident online=false,receivedAt=${START}i ${START}`);
      await influx.write('telemetry', lines);
    }, 60_000);
    afterAll(async () => influx?.stop());

    it('every query of every dashboard is valid InfluxQL, and the time-filtered ones find data', async () => {
      const client = new InfluxQlClient({ url: influx.url, token: '', database: 'telemetry' }, 10_000);
      // Grafana's macros and variables, as Grafana substitutes them for "All" and this range.
      const grafanaize = (q: string) =>
        q
          .replace(/\$timeFilter/g, `time >= ${START}ms AND time < ${START + 2 * DAY}ms`)
          .replace(/\$resident|\$elevator/g, '.*')
          .replace(/\$tz/g, 'Asia/Shanghai');
      let found = 0;
      for (const { file, json } of dashboards()) {
        for (const p of json.panels) {
          for (const t of p.targets) {
            const q = grafanaize(t.query);
            const [series] = await client.query([q]).catch((err: unknown) => {
              throw new Error(`${file} "${p.title}": ${err instanceof Error ? err.message : String(err)}\n${q}`);
            });
            if (t.query.includes('$timeFilter') && (series?.length ?? 0) > 0) found++;
          }
        }
      }
      expect(found).toBeGreaterThanOrEqual(7);
      const [offline] = await client.query([grafanaize(dashboards().find((d) => d.file === 'devices-offline.json')?.json.panels[0]?.targets[0]?.query ?? '').replace('now() - 90d', `${START - DAY}ms`)]);
      expect(offline?.[0]?.values?.length).toBe(1);
    });
  });
});
