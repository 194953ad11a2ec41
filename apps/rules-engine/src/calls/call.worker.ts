import type { Clock } from '../driver/clock';
import { DeliveryLoop, retryDelayMs } from '../webhooks/delivery.loop';
import type { WebhookSender } from '../webhooks/webhook.sender';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from '../webhooks/webhook.signer';
import { withCallback, type RenderedRequest } from './call-request';
import type { CallGateway, CallRequest, CallStore } from './call.store';
import type { RecordedEvent, SeqEvent } from '../store/recorded-event';

export interface CallWorkerDeps {
  store: CallStore;
  events: { lastEventSeq(): number; eventsAfter(seq: number, limit?: number): SeqEvent[] };
  clock: Clock;
  send: WebhookSender;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  /** The request for a stored event, if it places a call (an alert's `call_placed`, a `check_call` placed). */
  render(ev: RecordedEvent): RenderedRequest | undefined;
  callbackUrl(callId: string, gateway: CallGateway): string;
  /** Whether the rules still wait for this call's result (else sending it is pointless). */
  awaited(callId: string): boolean;
  onAttempt(result: 'sent' | 'failed' | 'expired' | 'cancelled', request: CallRequest, detail: { attempts: number; error?: string }): void;
  onError(err: unknown): void;
}

const SCAN_PAGE = 500;
/** Requests sent at once: a slow gateway at one site must not hold up another site's calls. */
const PARALLEL = 16;

/**
 * Delivers call requests to the sites' voice gateways: queue every `call_placed` change (and every
 * check call a rule places before any alert) after the cursor, then send each due request, signed like a webhook (X-Hearthbeat-Signature over the raw body,
 * X-Hearthbeat-Delivery = the call id, the same on every retry), retrying with exponential backoff until
 * the gateway accepts it (2xx) or the call's timeout passes. Requests are independent (no ordering
 * between calls). A request that can no longer matter (timed out, alert resolved) is closed unsent.
 */
export class CallWorker extends DeliveryLoop {
  constructor(private readonly deps: CallWorkerDeps) {
    super();
  }

  /** Queues new call requests, then sends up to PARALLEL due ones at once. */
  protected async turn(): Promise<number | undefined> {
    this.scan();
    const due = this.deps.store.due(this.deps.clock.now(), PARALLEL);
    if (due.length === 0) {
      const next = this.deps.store.nextDueAt();
      return next === undefined ? undefined : Math.max(1, next - this.deps.clock.now());
    }
    await Promise.all(due.map((q) => this.attempt(q)));
    return 0;
  }

  protected onLoopError(err: unknown): void {
    this.deps.onError(err);
  }

  /** Queues every `call_placed` change after the cursor and moves the cursor, one transaction per page. */
  protected scan(): void {
    const last = this.deps.events.lastEventSeq();
    let cursor = this.deps.store.cursor();
    while (cursor < last) {
      const rows = this.deps.events.eventsAfter(cursor, SCAN_PAGE);
      const now = this.deps.clock.now();
      const items = rows.flatMap(({ seq, event }) => {
        const r = this.deps.render(event);
        return r ? [{ ...r, seq, createdAt: now }] : [];
      });
      const upTo = rows.length < SCAN_PAGE ? last : (rows[rows.length - 1]?.seq ?? last);
      this.deps.store.enqueue(upTo, items);
      cursor = upTo;
    }
  }

  private async attempt(q: CallRequest): Promise<void> {
    const d = this.deps;
    const now = d.clock.now();
    if (now >= q.deadline) return this.close(q, 'expired', 'the call timed out before the gateway accepted it', now);
    if (!d.awaited(q.callId)) return this.close(q, 'cancelled', q.alertId ? 'the alert no longer waits for this call' : 'the rule no longer waits for this call', now);
    const gateway = d.store.gateway(q.site);
    if (!gateway) return this.failed(q, now, null, 'no check-in call gateway configured for the site');
    const body = withCallback(q.template, d.callbackUrl(q.callId, gateway));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Hearthbeat-Call/1',
      [DELIVERY_HEADER]: q.callId,
      [TIMESTAMP_HEADER]: String(now),
      [EVENT_HEADER]: 'call.request',
      [SIGNATURE_HEADER]: signBody(gateway.secret, body),
    };
    const result = await d.send(gateway.url, headers, body, d.timeoutMs, this.abort.signal);
    if (result.aborted) return;
    const at = d.clock.now();
    if (result.ok) {
      d.store.markSent(q.callId, at, result.status ?? 200);
      d.onAttempt('sent', q, { attempts: q.attempts + 1 });
      return;
    }
    this.failed(q, at, result.status ?? null, result.error ?? 'failed');
  }

  private failed(q: CallRequest, at: number, status: number | null, error: string): void {
    const attempts = q.attempts + 1;
    this.deps.store.markFailed(q.callId, at, at + retryDelayMs(attempts, this.deps.retryBaseMs, this.deps.retryMaxMs), status, error);
    this.deps.onAttempt('failed', q, { attempts, error });
  }

  private close(q: CallRequest, status: 'expired' | 'cancelled', why: string, at: number): void {
    this.deps.store.closeRequest(q.callId, status, why, at);
    this.deps.onAttempt(status, q, { attempts: q.attempts, error: why });
  }
}
