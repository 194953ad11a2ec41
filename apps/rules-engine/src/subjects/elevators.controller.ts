import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { subjectListQuerySchema, type SubjectListQuery } from './dto/subject.dto';
import { SubjectsService } from './subjects.service';

const ELEVATOR_READERS = ['maintainer', 'admin', 'service'] as const;

@ApiTags('elevators')
@Controller('api/elevators')
export class ElevatorsController {
  constructor(private readonly subjects: SubjectsService) {}

  @Get()
  @Endpoint({ summary: 'Elevators of the user\'s sites with their live risk colour', access: ELEVATOR_READERS, scoped: true, query: subjectListQuerySchema })
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(subjectListQuerySchema, 'query')) q: SubjectListQuery) {
    return this.subjects.listElevators(user, q);
  }

  @Get(':id')
  @Endpoint({ summary: 'One elevator: live car state, risk colour, terminal health, unresolved alerts', access: ELEVATOR_READERS, scoped: true })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.subjects.elevator(user, id);
  }
}
