import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ALERT_CHANGES } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import type { AuthUser } from '../auth/auth.types';
import type { Clock } from '../driver/clock';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, REGISTRY } from '../engine.tokens';
import { NotFoundError, NotRejectedError } from '../http/api.errors';
import type { DeliveryListQuery, WebhookCreate } from './dto/webhook.dto';
import { WebhookDispatcher } from './webhook.dispatcher';
import type { Delivery, Webhook } from './webhook.store';

/** The 404 of a delivery id that is not (or no longer) stored. */
export const PRUNED_DELIVERY = 'unknown, or finished (delivered or rejected) longer ago than HB_EVENTS_RETAIN_DAYS and deleted by the retention';

export type WebhookView = Omit<Webhook, 'secret' | 'scanSeq'> & { pending: number; rejected: number };

/** Webhook configuration per site (admins) and delivery status. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly runtime: EngineRuntime,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Delivers the site's alert changes from now on (earlier history is not sent). */
  create(user: AuthUser, site: string, input: WebhookCreate): WebhookView & { secret?: string } {
    this.site(site);
    const generated = input.secret === undefined ? randomBytes(32).toString('base64url') : undefined;
    const hook: Webhook = {
      id: `wh_${randomBytes(6).toString('hex')}`,
      site,
      url: input.url,
      secret: input.secret ?? generated ?? '',
      changes: input.changes ? [...new Set(input.changes)] : [...ALERT_CHANGES],
      createdAt: this.clock.now(),
      createdBy: user.id,
      scanSeq: this.runtime.engineStore.lastEventSeq(),
    };
    this.dispatcher.add(hook);
    return { ...this.view(hook), ...(generated ? { secret: generated } : {}) };
  }

  list(site: string): WebhookView[] {
    this.site(site);
    return this.dispatcher.store
      .list()
      .filter((h) => h.site === site)
      .map((h) => this.view(h));
  }

  async remove(site: string, id: string): Promise<void> {
    this.hook(site, id);
    await this.dispatcher.remove(id);
  }

  deliveries(site: string, id: string, q: DeliveryListQuery): { webhook: WebhookView; pending: number; items: Delivery[] } {
    const hook = this.hook(site, id);
    return { webhook: this.view(hook), pending: this.dispatcher.store.pendingCount(id), items: this.dispatcher.store.deliveries(id, q.limit, q.status) };
  }

  /** Puts a delivery the receiver refused back in the queue: it is sent next, ahead of later ones. */
  redeliver(site: string, id: string, deliveryId: string): Delivery {
    this.hook(site, id);
    const store = this.dispatcher.store;
    const d = store.redeliver(id, deliveryId, this.clock.now());
    if (!d) {
      const existing = store.delivery(id, deliveryId);
      if (!existing) throw new NotFoundError('delivery', deliveryId, PRUNED_DELIVERY);
      throw new NotRejectedError(deliveryId, existing.status);
    }
    this.dispatcher.wake(id);
    return d;
  }

  private view(h: Webhook): WebhookView {
    const { secret: _s, scanSeq: _c, ...rest } = h;
    return { ...rest, pending: this.dispatcher.store.pendingCount(h.id), rejected: this.dispatcher.store.rejectedCount(h.id) };
  }

  private site(site: string): void {
    if (!this.registry.getSite(site)) throw new NotFoundError('site', site);
  }

  private hook(site: string, id: string): Webhook {
    this.site(site);
    const h = this.dispatcher.store.get(id);
    if (!h || h.site !== site) throw new NotFoundError('webhook', id);
    return h;
  }
}
