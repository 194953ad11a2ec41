import type { Clock } from '../driver/clock';
import type { EngineStore } from '../store/engine-store';
import { deliveryId, webhookPayload } from './webhook.payload';
import type { WebhookSender } from './webhook.sender';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from './webhook.signer';
import type { Webhook, WebhookStore } from './webhook.store';

export interface WorkerDeps {
  store: WebhookStore;
  events: Pick<EngineStore, 'lastEventSeq' | 'siteEventsAfter'>;
  clock: Clock;
  send: WebhookSender;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  onAttempt(result: 'delivered' | 'failed', hook: Webhook, deliveryId: string, detail: { attempts: number; error?: string; retryInMs?: number }): void;
  onError(err: unknown, hook: Webhook): void;
}

const SCAN_PAGE = 500;

/** Exponential backoff: base, 2 x base, 4 x base, ... capped. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

/**
 * One webhook's delivery loop: queue the matching alert changes past the cursor, then send the oldest
 * pending delivery, and only when it is accepted move on to the next. Strict order per webhook: a
 * failing receiver holds back everything after it (a later "resolved" never overtakes its "opened").
 */
export class WebhookWorker {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    readonly hook: Webhook,
    private readonly deps: WorkerDeps,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** New events were stored: look for work if idle. Does not cut a backoff short. */
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
      try {
        this.scan();
        const next = this.deps.store.nextPending(this.hook.id);
        if (!next) {
          await this.idle();
          continue;
        }
        const wait = next.nextAttemptAt - this.deps.clock.now();
        if (wait > 0) {
          await this.sleep(wait);
          continue;
        }
        await this.attempt(next);
      } catch (err) {
        this.deps.onError(err, this.hook);
        await this.sleep(1000);
      }
    }
  }

  /** Queues every matching alert change after the cursor and moves the cursor, in one transaction per page. */
  private scan(): void {
    const last = this.deps.events.lastEventSeq();
    while (this.hook.scanSeq < last) {
      const rows = this.deps.events.siteEventsAfter(this.hook.site, 'alert', this.hook.scanSeq, SCAN_PAGE);
      const now = this.deps.clock.now();
      const items = rows.flatMap(({ seq, event }) =>
        event.type === 'alert' && this.hook.changes.includes(event.change)
          ? [{ id: deliveryId(this.hook.id, seq), seq, alertId: event.alert.id, change: event.change, body: JSON.stringify(webhookPayload(this.hook.id, seq, event)), at: now }]
          : [],
      );
      const upTo = rows.length < SCAN_PAGE ? last : (rows[rows.length - 1]?.seq ?? last);
      this.deps.store.enqueue(this.hook.id, upTo, items);
      this.hook.scanSeq = upTo;
    }
  }

  private async attempt(d: { id: string; body: string; attempts: number; change: string }): Promise<void> {
    const now = this.deps.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Hearthbeat-Webhook/1',
      [DELIVERY_HEADER]: d.id,
      [TIMESTAMP_HEADER]: String(now),
      [EVENT_HEADER]: `alert.${d.change}`,
      [SIGNATURE_HEADER]: signBody(this.hook.secret, d.body),
    };
    const result = await this.deps.send(this.hook.url, headers, d.body, this.deps.timeoutMs, this.abort.signal);
    if (result.aborted) return;
    const at = this.deps.clock.now();
    const attempts = d.attempts + 1;
    if (result.ok) {
      this.deps.store.markDelivered(d.id, at, result.status ?? 200);
      this.deps.onAttempt('delivered', this.hook, d.id, { attempts });
      return;
    }
    const retryInMs = retryDelayMs(attempts, this.deps.retryBaseMs, this.deps.retryMaxMs);
    const error = result.error ?? 'failed';
    this.deps.store.markFailed(d.id, at, at + retryInMs, result.status ?? null, error);
    this.deps.onAttempt('failed', this.hook, d.id, { attempts, error, retryInMs });
  }

  private idle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => (this.wakeUp = resolve));
  }

  /** Waits `ms`, or less when stopped. */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
