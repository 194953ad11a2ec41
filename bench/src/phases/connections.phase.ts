import type { BenchContext } from '../core/bench.context';
import { readFdLimit, readRssBytes } from '../core/proc-stats';
import { round } from '../core/stats';
import { buildBenchFleet, type BenchDevice } from '../fleet/bench-fleet';
import { LoadSession } from './load.session';
import { mosquittoPid, startBrokerHost, startReferenceMosquitto, writeRegistry } from './servers';

export interface ConnectionsConfig {
  /** Connections asked for (--connections). */
  requested: number;
  /** Connections per load-generator process (each has its own descriptor limit). */
  perProcess: number;
  /** Connections per 127.0.0.x source address (the ephemeral port range is ~28,000 per address). */
  perAddress: number;
  settleMs: number;
  /** Also hold the same connections on mosquitto, for its bytes per connection. */
  reference: boolean;
}

export interface ConnectionsResult {
  requested: number;
  /** What this machine allows one process (RLIMIT_NOFILE) and so the ceiling of this run. */
  ceiling: number;
  ceilingReason: string;
  connections: number;
  failed: Record<string, number>;
  connectSeconds: number;
  sourceAddresses: number;
  brokerBytesPerConnection: number;
  brokerHeapBytesPerConnection: number;
  brokerRssBaseBytes: number;
  brokerRssBytes: number;
  /** RSS the broker would need for 50,000 connections at the measured cost per connection. */
  projectedRssAt50kBytes: number;
  mosquittoBytesPerConnection: number | null;
}

/** Descriptors a process needs besides its connections (stdio, IPC, SQLite files, listeners, epoll). */
const FD_RESERVE = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Source addresses 127.0.0.first, first+1, ... enough for `count` connections; none (the kernel picks)
 * when one address's ephemeral ports suffice: binding before connecting makes Linux search for a free
 * port on every bind, which grows with the ports in use and dominates a 20,000-connection ramp.
 */
function addresses(count: number, perAddress: number, first: number): string[] {
  if (count <= perAddress) return [];
  const n = Math.ceil(count / perAddress);
  if (first + n > 255) throw new RangeError(`${count} connections need more source addresses than 127.0.0.${first}-254`);
  return Array.from({ length: n }, (_, i) => `127.0.0.${first + i}`);
}

/** Opens `devices` idle connections (keepalive 60 s) from as many generator processes as needed. */
async function holdConnections(
  ctx: BenchContext,
  name: string,
  port: number,
  devices: BenchDevice[],
  cfg: ConnectionsConfig,
  local: string[],
): Promise<{ sessions: LoadSession[]; connected: number; failed: Record<string, number>; seconds: number }> {
  const t0 = performance.now();
  const parts: Promise<LoadSession>[] = [];
  for (let first = 0, i = 0; first < devices.length; first += cfg.perProcess, i++) {
    parts.push(
      LoadSession.open(ctx, `${name}-conn-${i}`, {
        host: '127.0.0.1',
        port,
        devices: devices.slice(first, first + cfg.perProcess),
        keepaliveS: 60,
        localAddresses: local,
        perAddress: cfg.perAddress,
        firstIndex: first,
        concurrency: 200,
      }, 600_000),
    );
  }
  const sessions = await Promise.all(parts);
  const failed: Record<string, number> = {};
  for (const s of sessions) for (const [k, v] of Object.entries(s.connect.reasons)) failed[k] = (failed[k] ?? 0) + v;
  return { sessions, connected: sessions.reduce((n, s) => n + s.connect.connected, 0), failed, seconds: (performance.now() - t0) / 1000 };
}

async function closeAll(sessions: LoadSession[]): Promise<void> {
  await Promise.all(sessions.map((s) => s.close()));
}

/**
 * How many idle device connections one broker process holds and what each costs: the broker host's
 * RSS (and V8 heap) after a full GC with the connections open, minus the same with none, divided by the
 * count. The registry of all devices is loaded in both samples, so it is not counted.
 */
export async function measureConnections(ctx: BenchContext, cfg: ConnectionsConfig): Promise<ConnectionsResult> {
  const limit = readFdLimit();
  const ceiling = Math.max(0, Math.min(cfg.requested, limit.soft - FD_RESERVE));
  const ceilingReason =
    ceiling < cfg.requested
      ? `RLIMIT_NOFILE ${limit.soft} (hard ${limit.hard}) per process; the broker needs one descriptor per connection`
      : 'as requested';
  const fleet = buildBenchFleet({ residents: ceiling, elevators: 0, smokeAlarms: false });
  const devices = fleet.load;
  const brokerAddresses = addresses(devices.length, cfg.perAddress, 1);
  const broker = await startBrokerHost(ctx, writeRegistry(ctx, 'connections', fleet.file), 'broker-connections');
  let result: ConnectionsResult;
  try {
    const before = await broker.sample();
    const held = await holdConnections(ctx, 'broker', broker.mqttPort, devices, cfg, brokerAddresses);
    await sleep(cfg.settleMs);
    const after = await broker.sample();
    const count = after.connections;
    const perConn = count > 0 ? (after.rss - before.rss) / count : Number.NaN;
    result = {
      requested: cfg.requested,
      ceiling,
      ceilingReason,
      connections: count,
      failed: held.failed,
      connectSeconds: round(held.seconds, 1),
      sourceAddresses: Math.max(1, brokerAddresses.length),
      brokerBytesPerConnection: round(perConn, 0),
      brokerHeapBytesPerConnection: count > 0 ? round((after.heapUsed - before.heapUsed) / count, 0) : Number.NaN,
      brokerRssBaseBytes: before.rss,
      brokerRssBytes: after.rss,
      projectedRssAt50kBytes: round(before.rss + 50_000 * perConn, 0),
      mosquittoBytesPerConnection: null,
    };
    await closeAll(held.sessions);
  } finally {
    await broker.stop();
  }
  // The broker closed first on every DISCONNECT, so the TIME_WAITs are its ports, not the clients'.
  if (cfg.reference) result.mosquittoBytesPerConnection = await mosquittoPerConnection(ctx, devices, cfg, brokerAddresses);
  return result;
}

/** The same idle connections held by mosquitto (anonymous: its password check is not what is measured). */
async function mosquittoPerConnection(ctx: BenchContext, devices: BenchDevice[], cfg: ConnectionsConfig, local: string[]): Promise<number | null> {
  const m = await startReferenceMosquitto();
  try {
    const pid = mosquittoPid(m);
    const before = readRssBytes(pid);
    const held = await holdConnections(ctx, 'mosquitto', m.port, devices, cfg, local);
    await sleep(cfg.settleMs);
    const after = readRssBytes(pid);
    await closeAll(held.sessions);
    return held.connected > 0 ? round((after - before) / held.connected, 0) : null;
  } finally {
    await m.stop();
  }
}
