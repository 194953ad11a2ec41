import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from './mosquitto';
import { tempDir } from './temp-dir';
import { waitFor } from './wait';

export const INFLUXD_BIN = '/usr/bin/influxd';

export interface InfluxDb1Server {
  port: number;
  /** `http://127.0.0.1:PORT`: `/write?db=` (line protocol) and InfluxQL on `/query`. */
  url: string;
  dir: string;
  process: ChildProcess;
  /** Runs InfluxQL statements (`CREATE DATABASE x`, ...) and fails on any error in the answer. */
  query(q: string, db?: string): Promise<unknown>;
  /** Posts line protocol to `/write?db=DB&precision=ms`. */
  write(db: string, lines: string | string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's influxdb 1.6 on loopback with a temporary config and data directories. It serves the
 * v1 API only (`/write`, InfluxQL on `/query`), the read path that 1.x, 2.x (v1 compatibility API) and
 * 3.x all share. Stopped by its process id.
 */
export async function startInfluxDb1(): Promise<InfluxDb1Server> {
  if (!fs.existsSync(INFLUXD_BIN)) throw new Error(`${INFLUXD_BIN} not found: apt-get install -y influxdb (see .ci/run)`);
  const dir = tempDir('influxdb');
  const port = await freePort();
  const rpcPort = await freePort();
  const conf = path.join(dir, 'influxdb.conf');
  // A config of our own rather than /etc/influxdb/influxdb.conf: nothing leaves loopback, no usage
  // reporting, no _internal monitor database, no per-request logging.
  fs.writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${path.join(dir, 'meta')}"`,
      '[data]',
      `  dir = "${path.join(dir, 'data')}"`,
      `  wal-dir = "${path.join(dir, 'wal')}"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${port}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "error"',
      '',
    ].join('\n'),
  );
  const child = spawn(INFLUXD_BIN, ['run', '-config', conf], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, INFLUXDB_REPORTING_DISABLED: 'true' } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`influxd ready on ${port} (${stderr})`, async () => child.exitCode === null && (await ping(`${url}/ping`)), 15_000);
  const query = async (q: string, db?: string): Promise<unknown> => {
    const body = new URLSearchParams({ q, ...(db ? { db } : {}) });
    const res = await fetch(`${url}/query`, { method: 'POST', body });
    const json = (await res.json()) as { error?: string; results?: { error?: string }[] };
    const err = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!res.ok || err) throw new Error(`influxdb ${res.status}: ${err ?? 'error'} (${q})`);
    return json;
  };
  return {
    port,
    url,
    dir,
    process: child,
    query,
    write: async (db, lines) => {
      const body = Array.isArray(lines) ? lines.join('\n') : lines;
      const res = await fetch(`${url}/write?db=${encodeURIComponent(db)}&precision=ms`, { method: 'POST', body });
      if (res.status !== 204) throw new Error(`influxdb /write answered ${res.status}: ${await res.text()}`);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function ping(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status === 204;
  } catch {
    return false;
  }
}
