import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { AuditService } from './audit.service';
import { maintenanceListQuerySchema, maintenanceSchema, type MaintenanceInput, type MaintenanceListQuery } from './dto/maintenance.dto';

/** Maintainers' check-ins at a lift: arrival, work done, departure; each one an entry of the audit log. */
@ApiTags('elevators')
@Controller('api/elevators/:id/maintenance')
export class MaintenanceController {
  constructor(private readonly audit: AuditService) {}

  @Post()
  @Endpoint({ summary: 'Record arriving at, working on or leaving the lift (appended to the audit log)', access: ['maintainer', 'admin'], scoped: true, body: maintenanceSchema, status: 201 })
  record(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(maintenanceSchema)) body: MaintenanceInput) {
    return this.audit.recordMaintenance(user, id, body);
  }

  @Get()
  @Endpoint({ summary: 'The lift\'s maintenance check-ins, newest first, with their audit seq and hash', access: ['maintainer', 'admin', 'service'], scoped: true, query: maintenanceListQuerySchema })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(maintenanceListQuerySchema, 'query')) q: MaintenanceListQuery) {
    return this.audit.maintenanceOf(user, id, q.limit);
  }
}
