import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { deliveryListQuerySchema, webhookCreateSchema, type DeliveryListQuery, type WebhookCreate } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const SIGNING = 'Each delivery is a JSON POST signed with `X-Hearthbeat-Signature: sha256=HEX` (HMAC-SHA256 of the raw body with the secret); see docs/api.md.';

@ApiTags('webhooks')
@Controller('api/sites/:id/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Endpoint({ summary: 'Add a webhook for the site\'s alert changes (the secret is returned once when generated)', description: SIGNING, access: ['admin'], body: webhookCreateSchema, status: 201 })
  create(@CurrentUser() user: AuthUser, @Param('id') site: string, @Body(new ZodPipe(webhookCreateSchema)) body: WebhookCreate) {
    return this.webhooks.create(user, site, body);
  }

  @Get()
  @Endpoint({ summary: 'The site\'s webhooks (without secrets) and their pending deliveries', access: ['admin'] })
  list(@Param('id') site: string) {
    return this.webhooks.list(site);
  }

  @Delete(':wid')
  @HttpCode(204)
  @Endpoint({ summary: 'Remove a webhook and its queued deliveries', access: ['admin'], status: 204 })
  remove(@Param('id') site: string, @Param('wid') wid: string): Promise<void> {
    return this.webhooks.remove(site, wid);
  }

  @Get(':wid/deliveries')
  @Endpoint({
    summary: 'Delivery status, newest first: pending, delivered or rejected, attempts, last error, next attempt',
    description: 'Deliveries that finished (delivered or rejected) longer ago than HB_EVENTS_RETAIN_DAYS are deleted by the retention and no longer listed; pending ones are kept however old.',
    access: ['admin'],
    query: deliveryListQuerySchema,
  })
  deliveries(@Param('id') site: string, @Param('wid') wid: string, @Query(new ZodPipe(deliveryListQuerySchema, 'query')) q: DeliveryListQuery) {
    return this.webhooks.deliveries(site, wid, q);
  }

  @Post(':wid/deliveries/:did/redeliver')
  @HttpCode(200)
  @Endpoint({
    summary: 'Put a delivery the receiver refused (rejected) back in the queue: sent next, ahead of later ones',
    description: '404 `delivery_not_found` for an unknown delivery, or one rejected longer ago than HB_EVENTS_RETAIN_DAYS (deleted by the retention); 409 `delivery_not_rejected` for one that is pending or delivered.',
    access: ['admin'],
  })
  redeliver(@Param('id') site: string, @Param('wid') wid: string, @Param('did') did: string) {
    return this.webhooks.redeliver(site, wid, did);
  }
}
