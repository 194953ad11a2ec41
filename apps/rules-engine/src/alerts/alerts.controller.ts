import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Alert } from '@hearthbeat/contracts';
import { ACTING_ROLES, type AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import type { AlertSummary } from './alert.view';
import { AlertsService } from './alerts.service';
import { ackSchema, alertListQuerySchema, assignSchema, commentSchema, markNormalSchema, onSiteSchema, resolveSchema, type AlertListQuery } from './dto/alert.dto';
import type { z } from 'zod';

@ApiTags('alerts')
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Endpoint({
    summary: 'Alerts the user may see, most urgent first (a JSON array)',
    description: 'Paging: when more match, the `X-Next-Cursor` header holds the cursor and `Link` the next page (rel="next").',
    access: 'signed-in',
    scoped: true,
    query: alertListQuerySchema,
  })
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(alertListQuerySchema, 'query')) q: AlertListQuery, @Res({ passthrough: true }) res: Response): AlertSummary[] {
    const page = this.alerts.list(user, q);
    if (page.nextCursor) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== 'cursor') params.set(k, String(v));
      params.set('cursor', page.nextCursor);
      res.setHeader('X-Next-Cursor', page.nextCursor);
      res.setHeader('Link', `</api/alerts?${params.toString()}>; rel="next"`);
    }
    return page.items;
  }

  @Get(':id')
  @Endpoint({ summary: 'One alert with its timeline', access: 'signed-in', scoped: true })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Alert {
    return this.alerts.get(user, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Endpoint({ summary: 'Acknowledge (a no-op when already acknowledged); an optional note becomes a comment', access: ACTING_ROLES, scoped: true, body: ackSchema })
  ack(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(ackSchema)) body: z.infer<typeof ackSchema>): Alert {
    return this.alerts.acknowledge(user, id, body.note);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Endpoint({ summary: 'Assign to a user who looks after the subject (acknowledges an open alert)', access: ACTING_ROLES, scoped: true, body: assignSchema })
  assign(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(assignSchema)) body: z.infer<typeof assignSchema>): Alert {
    return this.alerts.assign(user, id, body.assignee);
  }

  @Post(':id/comment')
  @HttpCode(200)
  @Endpoint({ summary: 'Add a comment to the timeline (also on resolved alerts)', access: ACTING_ROLES, scoped: true, body: commentSchema })
  comment(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(commentSchema)) body: z.infer<typeof commentSchema>): Alert {
    return this.alerts.comment(user, id, body.text);
  }

  @Post(':id/on-site')
  @HttpCode(200)
  @Endpoint({ summary: 'Report being on site (at the door, at the lift): acknowledges an open alert; response times measure it', access: ACTING_ROLES, scoped: true, body: onSiteSchema })
  onSite(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(onSiteSchema)) body: z.infer<typeof onSiteSchema>): Alert {
    return this.alerts.onSite(user, id, body.note);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Endpoint({ summary: 'Resolve with the outcome found at the door', access: ACTING_ROLES, scoped: true, body: resolveSchema })
  resolve(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(resolveSchema)) body: z.infer<typeof resolveSchema>): Alert {
    return this.alerts.resolve(user, id, body.outcome, body.note);
  }

  @Post(':id/mark-normal')
  @HttpCode(200)
  @Endpoint({ summary: 'Resolve as a false alarm that is normal for this subject (hook for learned routines)', access: ACTING_ROLES, scoped: true, body: markNormalSchema })
  markNormal(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(markNormalSchema)) body: z.infer<typeof markNormalSchema>): Alert {
    return this.alerts.markNormal(user, id, body.note);
  }
}
