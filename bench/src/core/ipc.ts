/**
 * Messages between the bench and the processes it forks. Both ends are this package, so a light
 * shape check (an object with a string `type`) is enough at the boundary; each side then narrows on
 * `type` with the unions declared next to the process that handles them.
 */
export interface IpcMessage {
  type: string;
}

export function isIpcMessage(value: unknown): value is IpcMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A child reports a failure this way before exiting, so the parent can say what went wrong. */
export interface ChildErrorMessage {
  type: 'error';
  message: string;
}

/** Sends to the parent; a no-op when the process was not forked (keeps the child code testable in-process). */
export function sendToParent<T extends IpcMessage>(msg: T): void {
  if (process.send && process.connected) process.send(msg);
}

/**
 * Runs a forked child's message loop: every parent message goes to `handle`; a failure is reported and
 * ends the process, and so does losing the parent (the bench must never leave processes behind).
 */
export function serveParent(handle: (msg: IpcMessage) => Promise<void> | void): void {
  const fail = (err: unknown) => {
    sendToParent({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChildErrorMessage);
    setTimeout(() => process.exit(1), 50);
  };
  process.on('message', (msg: unknown) => {
    if (!isIpcMessage(msg)) return;
    try {
      Promise.resolve(handle(msg)).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
