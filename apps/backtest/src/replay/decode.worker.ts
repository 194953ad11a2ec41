import { parentPort, workerData } from 'node:worker_threads';
import { decodeInline, type WorkerInit } from './decoded-source';

/**
 * Worker thread of the backtest: decodes the log (decodeInline) and posts batches, pausing while
 * `maxInFlight` of them wait for the main thread (each one it takes is answered with "credit").
 */
async function run(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const init = workerData as WorkerInit; // set by decodeSource on the main thread, from the same build
  let inFlight = 0;
  let resume: (() => void) | undefined;
  port.on('message', () => {
    inFlight--;
    resume?.();
    resume = undefined;
  });
  for await (const batch of decodeInline(init.path, init.registry)) {
    while (inFlight >= init.maxInFlight) await new Promise<void>((r) => (resume = r));
    inFlight++;
    port.postMessage({ batch });
  }
  port.postMessage({ end: true });
  port.close();
}

run().catch((err: unknown) => {
  // An uncaught error reaches the main thread's 'error' handler with its message.
  throw err instanceof Error ? err : new Error(String(err));
});
