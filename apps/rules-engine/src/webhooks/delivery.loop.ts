/** After an unexpected error in a turn (a store fault), the loop waits this long before the next. */
const ERROR_PAUSE_MS = 1000;
/** The longest setTimeout Node accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Exponential backoff: base, 2 x base, 4 x base, ... capped. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

/**
 * The background loop of the signed-delivery workers (webhooks, check-in call requests): turn after
 * turn, each queueing new work from the events table and sending what is due, then waiting as long as
 * the turn says, or until `wake()` (new events stored) or `stop()`. `stop()` also aborts a request in
 * flight through `abort.signal`. A turn that throws is reported and retried after a pause.
 */
export abstract class DeliveryLoop {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  protected readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  /** One turn; resolves to how long to wait before the next (ms; 0 at once; undefined until woken). */
  protected abstract turn(): Promise<number | undefined>;

  protected abstract onLoopError(err: unknown): void;

  /** Queues the work the events table holds past the worker's cursor and moves the cursor. */
  protected abstract scan(): void;

  /**
   * Queues what the events table holds past the cursor now, even while the loop waits (it is woken only
   * by its own kind of event): the events retention asks before it prunes. A failure is reported as the
   * loop's own and leaves the cursor where it was.
   */
  catchUp(): void {
    try {
      this.scan();
    } catch (err) {
      this.onLoopError(err);
    }
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** New events were stored: look for work now. */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let wait: number | undefined;
      try {
        wait = await this.turn();
      } catch (err) {
        this.onLoopError(err);
        wait = ERROR_PAUSE_MS;
      }
      if (wait === undefined || wait > 0) await this.idle(wait);
    }
  }

  /** Waits for a wake-up, or `ms` when given, or less when stopped. */
  private idle(ms?: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
      signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }
}
