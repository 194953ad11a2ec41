import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { CallsService } from './calls.service';
import { CHECK_CALLS_DEFAULT, CHECK_CALLS_MAX, checkCallsQuerySchema, type CheckCallsQuery } from './dto/call.dto';

const RESIDENT_READERS = ['staff', 'supervisor', 'admin', 'service'] as const;

@ApiTags('calls')
@Controller('api/residents')
export class ResidentCheckCallsController {
  constructor(private readonly calls: CallsService) {}

  @Get(':id/check-calls')
  @Endpoint({
    summary: 'The check-in calls the learned routine placed before any alert, newest first, one per call with its result',
    description:
      `\`{resident, checkIn: {ringsFirst, because?}, calls: [{callId, placedAt, timeoutAt, reason, result?, timedOut?, resultAt?, late?: {result, at}}]}\`; ` +
      `\`limit\` ${CHECK_CALLS_DEFAULT} by default, at most ${CHECK_CALLS_MAX}. 404 \`resident_not_found\`. See docs/field-workflow.md "Calls before an alert".`,
    access: RESIDENT_READERS,
    scoped: true,
    query: checkCallsQuerySchema,
  })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(checkCallsQuerySchema, 'query')) q: CheckCallsQuery) {
    return this.calls.residentCalls(user, id, q);
  }
}
