import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/request-user';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import {
  activityHistoryQuerySchema,
  eventsHistoryQuerySchema,
  samplesHistoryQuerySchema,
  waterHistoryQuerySchema,
  type ActivityHistoryQuery,
  type EventsHistoryQuery,
  type SamplesHistoryQuery,
  type WaterHistoryQuery,
} from './dto/history.dto';
import { HistoryService } from './history.service';

const RESIDENT_READERS = ['staff', 'supervisor', 'admin', 'service'] as const;
const ELEVATOR_READERS = ['maintainer', 'admin', 'service'] as const;
const NO_HISTORY = ' 503 `history_unavailable` when the platform keeps no history (HB_TELEMETRY_STORE=none); 502 `history_store_failed` when InfluxDB does not answer.';

@ApiTags('history')
@Controller('api/residents')
export class ResidentHistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get(':id/history/water')
  @Endpoint({
    summary: 'Water used per local quarter hour, hour or day (intervals 0 = no data, not "no water")',
    description: `Buckets are whole local periods of the site's zone overlapping [from, to), zeros included.${NO_HISTORY}`,
    access: RESIDENT_READERS,
    scoped: true,
    query: waterHistoryQuerySchema,
  })
  water(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(waterHistoryQuerySchema, 'query')) q: WaterHistoryQuery) {
    return this.history.water(user, id, q);
  }

  @Get(':id/history/readings')
  @Endpoint({ summary: 'The raw meter readings (cumulative litres) in a range of at most 31 days', description: NO_HISTORY.trim(), access: RESIDENT_READERS, scoped: true, query: samplesHistoryQuerySchema })
  readings(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(samplesHistoryQuerySchema, 'query')) q: SamplesHistoryQuery) {
    return this.history.waterReadings(user, id, q);
  }

  @Get(':id/routine')
  @Endpoint({ summary: 'The learned daily routine: status, usual rising and bedtime, quiet spells, what it expects next', access: RESIDENT_READERS, scoped: true })
  routine(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.history.routine(user, id);
  }
}

@ApiTags('history')
@Controller('api/elevators')
export class ElevatorHistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get(':id/history/activity')
  @Endpoint({
    summary: 'Trips, door cycles, faults, downtime and samples (0 = no data, not "not used") per local hour or day, with availability',
    description: `availability: share of the observed part of the range (from the first sample) the car was not down; a bucket without data counts as down.${NO_HISTORY}`,
    access: ELEVATOR_READERS,
    scoped: true,
    query: activityHistoryQuerySchema,
  })
  activity(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(activityHistoryQuerySchema, 'query')) q: ActivityHistoryQuery) {
    return this.history.activity(user, id, q);
  }

  @Get(':id/history/events')
  @Endpoint({ summary: 'The terminal\'s events (faults only with faultsOnly=true), oldest first', description: NO_HISTORY.trim(), access: ELEVATOR_READERS, scoped: true, query: eventsHistoryQuerySchema })
  events(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(eventsHistoryQuerySchema, 'query')) q: EventsHistoryQuery) {
    return this.history.events(user, id, q);
  }

  @Get(':id/history/states')
  @Endpoint({ summary: 'The car\'s state samples (floor, door, direction, mode) in a range of at most 31 days', description: NO_HISTORY.trim(), access: ELEVATOR_READERS, scoped: true, query: samplesHistoryQuerySchema })
  states(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query(new ZodPipe(samplesHistoryQuerySchema, 'query')) q: SamplesHistoryQuery) {
    return this.history.states(user, id, q);
  }
}
