import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Site } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { ScopePolicy } from '../auth/scope.policy';
import { REGISTRY } from '../engine.tokens';
import { Endpoint } from '../http/endpoint.decorator';

@ApiTags('sites')
@Controller('api/sites')
export class SitesController {
  constructor(
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    private readonly scope: ScopePolicy,
  ) {}

  @Get()
  @Endpoint({ summary: 'The sites the user works for (admin: all), with their time zones', access: 'signed-in' })
  list(@CurrentUser() user: AuthUser): Pick<Site, 'id' | 'name' | 'timezone'>[] {
    return this.registry
      .listSites()
      .filter((s) => this.scope.seesSite(user, s.id))
      .map((s) => ({ id: s.id, name: s.name, timezone: s.timezone }));
  }
}
