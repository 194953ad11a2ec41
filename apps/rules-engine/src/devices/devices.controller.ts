import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RegistryStore } from '@hearthbeat/registry';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { ScopePolicy } from '../auth/scope.policy';
import { REGISTRY } from '../engine.tokens';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { deviceListQuerySchema, type DeviceListQuery } from '../subjects/dto/subject.dto';
import { DeviceHealthService, type DeviceHealth } from './device-health.service';

@ApiTags('devices')
@Controller('api/devices')
export class DevicesController {
  constructor(
    private readonly health: DeviceHealthService,
    private readonly scope: ScopePolicy,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
  ) {}

  @Get()
  @Endpoint({
    summary: 'Device health: last seen, online, battery, signal, rejected messages by reason',
    description: 'Devices of the residents or elevators the user looks after; devices not yet assigned to a subject are listed for admins only.',
    access: 'signed-in',
    scoped: true,
    query: deviceListQuerySchema,
  })
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(deviceListQuerySchema, 'query')) q: DeviceListQuery): DeviceHealth[] {
    const sites = this.scope.siteFilter(user, q.site);
    const rejections = this.health.rejectionsByDevice();
    return this.registry
      .listDevices()
      .filter((d) => (d.subject ? this.scope.seesSubject(user, d.subject.type, d.subject.site) && (!sites || sites.includes(d.subject.site)) : user.role === 'admin' && !q.site))
      .filter((d) => !q.kind || d.kind === q.kind)
      .map((d) => this.health.health(d, rejections))
      .filter((h) => (q.offline === undefined || h.online !== q.offline) && (q.lowBattery === undefined || (h.batteryLow ?? false) === q.lowBattery))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
