import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { subjectListQuerySchema, type SubjectListQuery } from './dto/subject.dto';
import { SubjectsService } from './subjects.service';

const RESIDENT_READERS = ['staff', 'supervisor', 'admin', 'service'] as const;

@ApiTags('residents')
@Controller('api/residents')
export class ResidentsController {
  constructor(private readonly subjects: SubjectsService) {}

  @Get()
  @Endpoint({ summary: 'Residents of the user\'s sites with their live risk colour', access: RESIDENT_READERS, scoped: true, query: subjectListQuerySchema })
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(subjectListQuerySchema, 'query')) q: SubjectListQuery) {
    return this.subjects.listResidents(user, q);
  }

  @Get(':id')
  @Endpoint({ summary: 'One resident: risk colour, devices and their health, unresolved alerts, away periods', access: RESIDENT_READERS, scoped: true })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.subjects.resident(user, id);
  }
}
