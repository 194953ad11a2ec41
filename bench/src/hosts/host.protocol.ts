import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ScryptCost } from '@hearthbeat/registry';

/**
 * scrypt cost of the bench registries' device secrets and passwords. The production costs
 * (DEVICE_SECRET_COST N=2^10, PASSWORD_COST N=2^14) would spend most of a short run hashing 20,000
 * imported secrets; a connection's steady-state cost does not depend on it. In the broker host the
 * import also leaves every secret in the verified-secret cache, so CONNECTs cost an HMAC either way.
 */
export const BENCH_SCRYPT_COST: ScryptCost = { N: 16, r: 1, p: 1 };

/** Memory of a host process, sampled after a full GC when the host runs with --expose-gc. */
export interface MemorySample {
  type: 'sample';
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  connections: number;
  gc: boolean;
}

export interface HostStart {
  type: 'start';
  dataDir: string;
  /** A registry file (protocol.md format) imported before the broker listens. */
  registryFile: string;
  /** HB_* variables on top of the host's defaults (the platform host: HB_TELEMETRY_STORE, HB_INFLUX_*). */
  env?: Record<string, string>;
}

/** The platform's telemetry store counters (hb_telemetry_points_*), after a flush. */
export interface TelemetryCounters {
  type: 'telemetry';
  written: number;
  dropped: number;
  rejected: number;
  retries: number;
  tooOld: number;
  buffered: number;
}

export type HostCommand = HostStart | { type: 'sample' } | { type: 'drops' } | { type: 'loop-delay' } | { type: 'telemetry' } | { type: 'exit' };

export function takeSample(connections: number): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Twice: the first pass can leave finalizers whose memory only the second frees.
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { type: 'sample', rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, connections, gc: gc !== undefined };
}

/** Event-loop delay of a host since the previous reading: a stall here delays every message and alert. */
export interface LoopDelay {
  type: 'loop-delay';
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

let histogram: IntervalHistogram | undefined;

/** Reads and resets the host's event-loop delay histogram (started on first use, 10 ms resolution). */
export function takeLoopDelay(): LoopDelay {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
  }
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const out: LoopDelay = { type: 'loop-delay', p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
  histogram.reset();
  return out;
}
