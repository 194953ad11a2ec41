import type { ChildHandle } from '../core/child.handle';
import type { IpcMessage } from '../core/ipc';

interface CountMessage extends IpcMessage {
  type: 'count';
  count: number;
  at: number;
  rejected?: number;
}

/**
 * The running delivered-message count of a sink (the counting subscriber, or the engine's
 * hb_engine_messages_total{channel="telemetry"}), as its process reports it every 50 ms, stamped
 * with that process's own clock.
 */
export class CountFeed {
  count = 0;
  at = 0;
  rejected = 0;
  private readonly listeners = new Set<(count: number) => void>();

  constructor(
    readonly name: string,
    readonly pid: number,
    source: ChildHandle,
  ) {
    source.on('count', (raw) => {
      const m = raw as CountMessage;
      this.count = m.count;
      this.at = m.at;
      this.rejected = m.rejected ?? 0;
      for (const fn of this.listeners) fn(m.count);
    });
  }

  subscribe(fn: (count: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves with the next report (a fresh reading rather than one up to 50 ms old). */
  fresh(): Promise<{ count: number; at: number }> {
    return new Promise((resolve) => {
      const off = this.subscribe(() => {
        off();
        resolve({ count: this.count, at: this.at });
      });
    });
  }
}
