import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { awayPeriodSchema, type AwayPeriod } from '@hearthbeat/contracts';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { AwayService } from './away.service';

const AWAY_EDITORS = ['staff', 'supervisor', 'admin'] as const;

@ApiTags('residents')
@Controller('api/residents/:id/away')
export class AwayController {
  constructor(private readonly away: AwayService) {}

  @Get()
  @Endpoint({ summary: 'A resident\'s away periods (registry and API), with ended ones', access: [...AWAY_EDITORS, 'service'], scoped: true })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.away.list(user, id);
  }

  @Post()
  @Endpoint({
    summary: 'Announce an absence: no-activity alerts are suppressed from `from` to `to`, then a welcome-back check runs',
    access: AWAY_EDITORS,
    scoped: true,
    body: awayPeriodSchema,
    status: 201,
  })
  add(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(awayPeriodSchema)) body: AwayPeriod) {
    return this.away.add(user, id, body);
  }

  @Post(':awayId/end')
  @HttpCode(200)
  @Endpoint({ summary: 'End an absence now (the resident is back); one not yet begun is removed', access: AWAY_EDITORS, scoped: true })
  end(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('awayId') awayId: string) {
    return this.away.end(user, id, awayId);
  }
}
