import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RegistryFile } from '@hearthbeat/contracts';
import { lineBatches } from '../io/line-reader';
import { MessageDecoder, type Decoded } from './message-decoder';

/** Batches of decoded lines in file order (empty lines skipped; failures carry their line number). */
export type DecodedSource = AsyncGenerator<Decoded[]>;

/** Decodes on this thread: the reference path, and what tests run from the TypeScript sources. */
export async function* decodeInline(path: string, registry: RegistryFile): DecodedSource {
  const decoder = new MessageDecoder(registry);
  let n = 0;
  for await (const lines of lineBatches(path)) {
    const out: Decoded[] = [];
    for (const line of lines) {
      n++;
      if (line.length === 0) continue;
      const d = decoder.decode(line);
      d.line = n;
      out.push(d);
    }
    yield out;
  }
}

const WORKER_FILE = join(__dirname, 'decode.worker.js');
/** How many decoded batches may wait for the rules before the worker pauses (memory stays flat). */
const MAX_IN_FLIGHT = 6;

export interface WorkerInit {
  path: string;
  registry: RegistryFile;
  maxInFlight: number;
}

/**
 * Decodes on a worker thread (JSON.parse, parseTopic, parseDevicePayload: about a third of the work)
 * while this thread runs the rules: the backtest uses both cores. Falls back to decodeInline when the
 * compiled worker is not there (running from sources).
 */
export function decodeSource(path: string, registry: RegistryFile, useWorker = true): DecodedSource {
  return useWorker && existsSync(WORKER_FILE) ? decodeInWorker(path, registry) : decodeInline(path, registry);
}

async function* decodeInWorker(path: string, registry: RegistryFile): DecodedSource {
  const init: WorkerInit = { path, registry, maxInFlight: MAX_IN_FLIGHT };
  const worker = new Worker(WORKER_FILE, { workerData: init });
  const queue: Decoded[][] = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: unknown) => {
    const batch = batchOf(m);
    if (batch) queue.push(batch);
    else done = true;
    poke();
  });
  worker.on('error', (err) => {
    failure = err;
    poke();
  });
  worker.on('exit', () => {
    done = true;
    poke();
  });
  try {
    for (;;) {
      const batch = queue.shift();
      if (batch) {
        worker.postMessage('credit');
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * The worker's messages: `{batch: Decoded[]}` or `{end: true}`. The batch comes from our own decoder on
 * the other thread (structured clone keeps its shape), so only the envelope is checked here.
 */
function batchOf(m: unknown): Decoded[] | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const batch: unknown = Reflect.get(m, 'batch');
  return Array.isArray(batch) ? (batch as Decoded[]) : undefined;
}
