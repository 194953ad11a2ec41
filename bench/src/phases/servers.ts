import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RegistryFile } from '@hearthbeat/contracts';
import { startMosquitto, type MosquittoServer } from '@hearthbeat/testing';
import { ChildHandle } from '../core/child.handle';
import { benchModule, hostExecArgv, type BenchContext } from '../core/bench.context';
import type { LoopDelay, MemorySample, TelemetryCounters } from '../hosts/host.protocol';
import type { SinkOptions } from '../load/sink.subscriber';
import { CountFeed } from './count.feed';

export interface Host {
  child: ChildHandle;
  pid: number;
  mqttPort: number;
  sample(): Promise<MemorySample>;
  /** Event-loop delay since the previous call. */
  loopDelay(): Promise<LoopDelay>;
  stop(): Promise<void>;
}

export interface PlatformHost extends Host {
  httpPort: number;
  /** HB_TELEMETRY_STORE of the platform: embedded (the default), influx or none. */
  telemetryStore: string;
  /** Its telemetry store's counters (zero with none). */
  telemetry(): Promise<TelemetryCounters>;
  /** hb_engine_messages_total{channel="telemetry"}: messages the engine evaluated. */
  feed: CountFeed;
}

export interface Subscriber {
  feed: CountFeed;
  stop(): Promise<void>;
}

export function writeRegistry(ctx: BenchContext, name: string, file: RegistryFile): string {
  const p = path.join(ctx.tmpDir, `${name}.registry.json`);
  fs.writeFileSync(p, JSON.stringify(file));
  return p;
}

async function startHost(ctx: BenchContext, name: string, module: string, registryFile: string, env?: Record<string, string>): Promise<{ child: ChildHandle; ready: Record<string, unknown> }> {
  const child = ChildHandle.fork(benchModule(module), { name, logDir: ctx.logDir, execArgv: hostExecArgv(ctx, name) });
  try {
    await child.next('hello', 15_000);
    const dataDir = fs.mkdtempSync(path.join(ctx.tmpDir, `${name}-data-`));
    const ready = await child.request({ type: 'start', dataDir, registryFile, ...(env ? { env } : {}) }, 'ready', 180_000);
    return { child, ready: ready as unknown as Record<string, unknown> };
  } catch (err) {
    child.kill();
    throw err;
  }
}

const stopper = (ctx: BenchContext, child: ChildHandle) => () => child.stop(ctx.profileDir ? 60_000 : 15_000);
const sampler = (child: ChildHandle) => async () => (await child.request({ type: 'sample' }, 'sample', 60_000)) as MemorySample;
const looper = (child: ChildHandle) => async () => (await child.request({ type: 'loop-delay' }, 'loop-delay', 10_000)) as LoopDelay;

/** HearthbeatBroker alone in its own process (hosts/broker.host.ts). */
export async function startBrokerHost(ctx: BenchContext, registryFile: string, name = 'broker'): Promise<Host> {
  const { child, ready } = await startHost(ctx, name, 'hosts/broker.host.js', registryFile);
  return { child, pid: child.pid, mqttPort: Number(ready.mqttPort), sample: sampler(child), loopDelay: looper(child), stop: stopper(ctx, child) };
}

/** The whole platform in its own process (hosts/platform.host.ts); `env` adds HB_* variables. */
export async function startPlatformHost(ctx: BenchContext, registryFile: string, opts: { name?: string; env?: Record<string, string> } = {}): Promise<PlatformHost> {
  const { child, ready } = await startHost(ctx, opts.name ?? 'platform', 'hosts/platform.host.js', registryFile, opts.env);
  const feed = new CountFeed('engine', child.pid, child);
  await feed.fresh();
  return {
    child,
    pid: child.pid,
    mqttPort: Number(ready.mqttPort),
    httpPort: Number(ready.httpPort),
    telemetryStore: String(ready.telemetryStore),
    telemetry: async () => (await child.request({ type: 'telemetry' }, 'telemetry', 30_000)) as TelemetryCounters,
    feed,
    sample: sampler(child),
    loopDelay: looper(child),
    stop: stopper(ctx, child),
  };
}

/** A counting QoS 1 subscriber in its own process (load/subscriber.child.ts). */
export async function startSubscriber(ctx: BenchContext, name: string, opts: SinkOptions): Promise<Subscriber> {
  const child = ChildHandle.fork(benchModule('load/subscriber.child.js'), { name, logDir: ctx.logDir });
  try {
    await child.next('hello', 10_000);
    const feed = new CountFeed(name, child.pid, child);
    await child.request({ type: 'subscribe', ...opts }, 'subscribed', 30_000);
    await feed.fresh();
    return { feed, stop: () => child.stop() };
  } catch (err) {
    child.kill();
    throw err;
  }
}

/**
 * The reference broker: Debian's mosquitto 2.0 on loopback, anonymous, no persistence, and
 * `max_queued_messages 0` so that a slow subscriber's messages queue instead of being dropped
 * (toolchain.md). `set_tcp_nodelay true` because the project's broker disables Nagle too (small
 * PUBACKs held back by Nagle and delayed ACKs would handicap the reference). `max_inflight_messages`
 * stays at its default (20): it bounds unacknowledged QoS 1 deliveries to the subscriber, which
 * answers at once on loopback.
 */
export function startReferenceMosquitto(): Promise<MosquittoServer> {
  return startMosquitto({ maxQueuedMessages: 0, extra: ['set_tcp_nodelay true'] });
}

export function mosquittoPid(m: MosquittoServer): number {
  if (m.process.pid === undefined) throw new Error('mosquitto has no pid');
  return m.process.pid;
}
