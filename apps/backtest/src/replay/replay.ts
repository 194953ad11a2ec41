import type { RegistryFile } from '@hearthbeat/contracts';
import { decodeSource } from './decoded-source';
import type { ReplayPass } from './replay-pass';

export interface ReplayStats {
  lines: number;
  accepted: number;
  /** Lines that did not reach the rules, by reason (contracts' rejection reasons and line faults). */
  rejected: Record<string, number>;
  /** A few examples, to find the lines again. */
  examples: { line: number; reason: string; message: string }[];
  firstT?: number;
  lastT?: number;
  wallMs: number;
}

export interface ReplayOptions {
  onProgress?: (stats: ReplayStats) => void;
  /** Decode on a worker thread when the compiled worker is available (default true). */
  worker?: boolean;
}

const MAX_EXAMPLES = 10;

/**
 * Streams a message log through one or more passes: every line parsed once with the contracts, then
 * fed to each pass in `t` order. A bad line is counted by reason and skipped, never fatal; a line whose
 * `t` goes backwards is refused (`line_out_of_order`) rather than rewinding virtual time. The replay
 * ends at the last line's `t`: deadlines after the log's end never fire (there is no data to judge).
 */
export async function replayLog(path: string, registry: RegistryFile, passes: readonly ReplayPass[], o: ReplayOptions = {}): Promise<ReplayStats> {
  const started = Date.now();
  const stats: ReplayStats = { lines: 0, accepted: 0, rejected: {}, examples: [], wallMs: 0 };
  let lastT = Number.NEGATIVE_INFINITY;
  const refuse = (line: number, reason: string, message: string) => {
    stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1;
    if (stats.examples.length < MAX_EXAMPLES) stats.examples.push({ line, reason, message });
  };
  let nextProgress = 1 << 18;
  for await (const batch of decodeSource(path, registry, o.worker !== false)) {
    for (const d of batch) {
      stats.lines++;
      if (d.t !== undefined && d.t < lastT) {
        refuse(d.line ?? 0, 'line_out_of_order', `t ${d.t} is before the previous line's ${lastT}`);
        continue;
      }
      if (d.t !== undefined) {
        lastT = d.t;
        stats.firstT ??= d.t;
      }
      if (!d.ok) {
        refuse(d.line ?? 0, d.reason, d.message);
        continue;
      }
      stats.accepted++;
      for (const p of passes) p.ingest(d.t, d.message);
    }
    if (o.onProgress && stats.lines >= nextProgress) {
      nextProgress += 1 << 18;
      o.onProgress(stats);
    }
  }
  if (Number.isFinite(lastT)) {
    stats.lastT = lastT;
    for (const p of passes) p.runUntil(lastT);
  }
  stats.wallMs = Date.now() - started;
  return stats;
}
