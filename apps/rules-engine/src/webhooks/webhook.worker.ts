import type { Clock } from '../driver/clock';
import type { EngineStore } from '../store/engine-store';
import { deliveryId, webhookPayload } from './webhook.payload';
import type { WebhookSender } from './webhook.sender';
import { DeliveryLoop, retryDelayMs } from './delivery.loop';
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
  /** Refusals of the payload itself (PAYLOAD_REFUSALS) in a row after which a delivery is set aside. */
  rejectAfter: number;
  onAttempt(result: 'delivered' | 'failed' | 'rejected', hook: Webhook, deliveryId: string, detail: { attempts: number; error?: string; retryInMs?: number }): void;
  onError(err: unknown, hook: Webhook): void;
}

const SCAN_PAGE = 500;

/**
 * Answers that refuse this very payload (bad request, too large, unsupported type, unprocessable):
 * retrying the same bytes cannot help, and in strict order one such delivery would hold back every alert
 * after it for good. After `rejectAfter` of them in a row the delivery is set aside as `rejected` (kept,
 * counted, listed, redeliverable) and the queue moves on. Every other failure (refused connection,
 * timeout, 5xx, and 401/403/404/429, which say the receiver or its configuration is wrong, not this
 * payload, and would refuse every delivery alike) keeps retrying the head: fixing the receiver then
 * delivers everything, in order.
 */
export const PAYLOAD_REFUSALS: ReadonlySet<number> = new Set([400, 413, 415, 422]);

/**
 * One webhook's delivery loop: queue the matching alert changes past the cursor, then send the oldest
 * pending delivery, and only when it is accepted move on to the next. Strict order per webhook: a
 * failing receiver holds back everything after it (a later "resolved" never overtakes its "opened"),
 * except a delivery whose payload the receiver keeps refusing (PAYLOAD_REFUSALS), set aside.
 * A wake-up during a backoff only re-reads the queue: nothing is sent before it is due.
 */
export class WebhookWorker extends DeliveryLoop {
  constructor(
    readonly hook: Webhook,
    private readonly deps: WorkerDeps,
  ) {
    super();
  }

  /** Queues new alert changes, then sends the oldest pending delivery once it is due. */
  protected async turn(): Promise<number | undefined> {
    this.scan();
    const next = this.deps.store.nextPending(this.hook.id);
    if (!next) return undefined;
    const wait = next.nextAttemptAt - this.deps.clock.now();
    if (wait > 0) return wait;
    await this.attempt(next);
    return 0;
  }

  protected onLoopError(err: unknown): void {
    this.deps.onError(err, this.hook);
  }

  /** Queues every matching alert change after the cursor and moves the cursor, in one transaction per page. */
  protected scan(): void {
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

  private async attempt(d: { id: string; body: string; attempts: number; change: string; refusals: number }): Promise<void> {
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
    const error = result.error ?? 'failed';
    // Refusals of the payload in a row (stored): any other kind of failure starts the count again.
    const refused = result.status !== undefined && PAYLOAD_REFUSALS.has(result.status);
    if (refused && d.refusals + 1 >= this.deps.rejectAfter) {
      this.deps.store.markRejected(d.id, at, result.status ?? null, error);
      this.deps.onAttempt('rejected', this.hook, d.id, { attempts, error });
      return;
    }
    const retryInMs = retryDelayMs(attempts, this.deps.retryBaseMs, this.deps.retryMaxMs);
    this.deps.store.markFailed(d.id, at, at + retryInMs, result.status ?? null, error, refused);
    this.deps.onAttempt('failed', this.hook, d.id, { attempts, error, retryInMs });
  }
}
