import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { tempDir } from './temp-dir';
import { waitFor } from './wait';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';

export interface MosquittoServer {
  port: number;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  /** Users for a password file; when none, anonymous clients are allowed. */
  users?: { name: string; password: string }[];
  /** 0 (the default here): never drop QoS 1 messages for a slow subscriber (mosquitto's own default is 1000). */
  maxQueuedMessages?: number;
  /** Extra config lines. */
  extra?: string[];
}

/** A free TCP port on loopback (mosquitto cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's mosquitto 2.0 on loopback with a temporary config, the reference broker for
 * interoperability tests and benchmarks. Stopped by its process id.
 */
export async function startMosquitto(opts: MosquittoOptions = {}): Promise<MosquittoServer> {
  if (!fs.existsSync(MOSQUITTO_BIN)) throw new Error(`${MOSQUITTO_BIN} not found: apt-get install -y mosquitto (see .ci/run)`);
  const dir = tempDir('mosquitto');
  const port = await freePort();
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', `max_queued_messages ${opts.maxQueuedMessages ?? 0}`, 'log_dest stderr', 'log_type error'];
  // Started as root, mosquitto would drop to user "mosquitto", which cannot read a private temp dir.
  if (process.getuid?.() === 0) lines.push('user root');
  if (opts.users?.length) {
    const pw = path.join(dir, 'passwd');
    fs.writeFileSync(pw, '');
    for (const u of opts.users) execFileSync('mosquitto_passwd', ['-b', pw, u.name, u.password]);
    lines.push('allow_anonymous false', `password_file ${pw}`);
  } else {
    lines.push('allow_anonymous true');
  }
  lines.push(...(opts.extra ?? []));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor(`mosquitto listening on ${port} (${stderr})`, () => canConnect(port), 5000);
  return {
    port,
    dir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }).then(() => fs.rmSync(dir, { recursive: true, force: true })),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
