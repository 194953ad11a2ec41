import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { freePort } from './mosquitto';
import { tempDir } from './temp-dir';
import { waitFor } from './wait';

export const VICTORIA_METRICS_BIN = '/usr/bin/victoria-metrics';

export interface VictoriaMetricsServer {
  port: number;
  /** `http://127.0.0.1:PORT`, the base URL for the InfluxDB v2 write API (`/api/v2/write`). */
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Points written so far become visible to `/api/v1/export`. */
  forceFlush(): Promise<void>;
  /** Every series matching a selector such as `{__name__=~"water_.*"}`, as exported by `/api/v1/export`. */
  exportSeries(match: string): Promise<ExportedSeries[]>;
  /** Stops the process (by pid) and removes the data directory, unless `keepData` (for a restart on the same port and directory). */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

export interface VictoriaMetricsOptions {
  /** Restart on a known port (after `stop({ keepData: true })`); a free port by default. */
  port?: number;
  /** Reuse a data directory; a new temporary one by default. */
  dataDir?: string;
}

/**
 * Starts Debian's victoria-metrics on loopback with a temporary data directory. It accepts InfluxDB
 * line protocol on `/api/v2/write`, so `@influxdata/influxdb-client`'s writeApi works against it
 * unchanged; it has no Flux and no InfluxQL (see docs/toolchain.md).
 */
export async function startVictoriaMetrics(opts: VictoriaMetricsOptions = {}): Promise<VictoriaMetricsServer> {
  if (!fs.existsSync(VICTORIA_METRICS_BIN)) {
    throw new Error(`${VICTORIA_METRICS_BIN} not found: apt-get install -y victoria-metrics (see .ci/run)`);
  }
  const dataDir = opts.dataDir ?? tempDir('victoria-metrics');
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // The default retention (1 month) refuses older timestamps at ingestion: tests write fixed past dates.
  const args = [`-storageDataPath=${dataDir}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-loggerLevel=ERROR'];
  const child = spawn(VICTORIA_METRICS_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(`victoria-metrics ready on ${port} (${stderr})`, async () => child.exitCode === null && (await healthy(`${url}/health`)), 10_000);
  return {
    port,
    url,
    dataDir,
    process: child,
    forceFlush: async () => {
      const res = await fetch(`${url}/internal/force_flush`);
      if (!res.ok) throw new Error(`force_flush answered ${res.status}`);
    },
    exportSeries: async (match: string) => {
      const body = new URLSearchParams({ 'match[]': match, start: '0' });
      const res = await fetch(`${url}/api/v1/export`, { method: 'POST', body });
      if (!res.ok) throw new Error(`export answered ${res.status}: ${await res.text()}`);
      const text = await res.text();
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as ExportedSeries);
    },
    stop: async (stopOpts = {}) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (!stopOpts.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
