import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { responseTimesQuerySchema, type ResponseTimesQuery } from './dto/report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('response-times')
  @Endpoint({
    summary: 'Response times per site and team for a month: acknowledge, on site, resolve, entrapment rescue (count, median, p90, over target)',
    description: 'Counts only alerts the user may see. Percentiles: linear interpolation (type 7). See docs/field-workflow.md.',
    access: 'signed-in',
    scoped: true,
    query: responseTimesQuerySchema,
  })
  responseTimes(@CurrentUser() user: AuthUser, @Query(new ZodPipe(responseTimesQuerySchema, 'query')) q: ResponseTimesQuery) {
    return this.reports.responseTimes(user, q);
  }
}
