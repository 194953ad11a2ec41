import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { ScopePolicy } from '../auth/scope.policy';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { CallsService } from './calls.service';
import { checkInConfigSchema, type CheckInConfigInput } from './dto/call.dto';

const WHAT = 'The automated check-in call that comes first in the escalation of residents\' alerts: the policy (rules, timeouts, family step) and the voice gateway (URL, HMAC secret). See docs/field-workflow.md.';

@ApiTags('calls')
@Controller('api/sites/:id/check-in-call')
export class CheckInConfigController {
  constructor(
    private readonly calls: CallsService,
    private readonly scope: ScopePolicy,
  ) {}

  @Get()
  @Endpoint({ summary: 'The site\'s check-in call settings (without the secret) and recent call requests', description: WHAT, access: ['admin', 'supervisor'], scoped: true })
  get(@CurrentUser() user: AuthUser, @Param('id') site: string) {
    const view = this.calls.view(site);
    this.scope.assertSite(user, site);
    return view;
  }

  @Put()
  @Endpoint({ summary: 'Set the site\'s check-in call step (a generated secret is returned once)', description: WHAT, access: ['admin'], body: checkInConfigSchema })
  put(@CurrentUser() user: AuthUser, @Param('id') site: string, @Body(new ZodPipe(checkInConfigSchema)) body: CheckInConfigInput) {
    return this.calls.put(user, site, body);
  }

  @Delete()
  @HttpCode(204)
  @Endpoint({ summary: 'Remove the site\'s check-in call step (alerts escalate to staff as before)', access: ['admin'], status: 204 })
  remove(@Param('id') site: string): void {
    this.calls.remove(site);
  }
}
