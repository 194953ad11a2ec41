import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ruleOverridesSchema, type RuleOverrides } from '@hearthbeat/contracts';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { RuleSettingsService, type RuleSettingsView } from './rule-settings.service';

const RULE_EDITORS = ['admin', 'supervisor'] as const;
const PUT_DOC = 'The body is the complete overrides block of this level (protocol.md "rules"), e.g. `{"water.no_activity":{"windowS":43200}}`; `{}` clears it. Stored in the registry and applied to the running rules at once.';

@ApiTags('rules')
@Controller('api')
export class RuleSettingsController {
  constructor(private readonly settings: RuleSettingsService) {}

  @Get('sites/:id/rules')
  @Endpoint({ summary: 'A site\'s rule overrides and the parameters in force', access: 'signed-in', scoped: true })
  site(@CurrentUser() user: AuthUser, @Param('id') id: string): RuleSettingsView {
    return this.settings.get(user, { type: 'site', id });
  }

  @Put('sites/:id/rules')
  @Endpoint({ summary: 'Replace a site\'s rule overrides', description: PUT_DOC, access: RULE_EDITORS, scoped: true, body: ruleOverridesSchema })
  putSite(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(ruleOverridesSchema)) body: RuleOverrides): Promise<RuleSettingsView> {
    return this.settings.put(user, { type: 'site', id }, body);
  }

  @Get('residents/:id/rules')
  @Endpoint({ summary: 'A resident\'s rule overrides, the site\'s underneath, and the parameters in force', access: 'signed-in', scoped: true })
  resident(@CurrentUser() user: AuthUser, @Param('id') id: string): RuleSettingsView {
    return this.settings.get(user, { type: 'resident', id });
  }

  @Put('residents/:id/rules')
  @Endpoint({ summary: 'Replace a resident\'s rule overrides', description: PUT_DOC, access: RULE_EDITORS, scoped: true, body: ruleOverridesSchema })
  putResident(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(ruleOverridesSchema)) body: RuleOverrides): Promise<RuleSettingsView> {
    return this.settings.put(user, { type: 'resident', id }, body);
  }

  @Get('elevators/:id/rules')
  @Endpoint({ summary: 'An elevator\'s rule overrides, the site\'s underneath, and the parameters in force', access: 'signed-in', scoped: true })
  elevator(@CurrentUser() user: AuthUser, @Param('id') id: string): RuleSettingsView {
    return this.settings.get(user, { type: 'elevator', id });
  }

  @Put('elevators/:id/rules')
  @Endpoint({ summary: 'Replace an elevator\'s rule overrides', description: PUT_DOC, access: ['admin'], body: ruleOverridesSchema })
  putElevator(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(ruleOverridesSchema)) body: RuleOverrides): Promise<RuleSettingsView> {
    return this.settings.put(user, { type: 'elevator', id }, body);
  }
}
