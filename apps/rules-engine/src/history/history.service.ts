import { Inject, Injectable } from '@nestjs/common';
import type { RegistryStore } from '@hearthbeat/registry';
import type { RoutineSummary } from '@hearthbeat/rules-core';
import {
  TelemetryQueryError,
  type DeviceEventRow,
  type ElevatorActivityBucket,
  type ElevatorStateRow,
  type TelemetryStore,
  type WaterReadingRow,
  type WaterUsageBucket,
} from '@hearthbeat/telemetry';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import type { Clock } from '../driver/clock';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, REGISTRY } from '../engine.tokens';
import { HistoryStoreError, HistoryUnavailableError, InvalidRequestError, NotFoundError } from '../http/api.errors';
import { availability } from './availability';
import { TelemetryHolder } from './telemetry.holder';
import {
  RAW_RANGE_MAX_MS,
  UNIT_LIMITS,
  type ActivityHistoryQuery,
  type EventsHistoryQuery,
  type SamplesHistoryQuery,
  type WaterHistoryQuery,
} from './dto/history.dto';

interface Range {
  from: number;
  to: number;
}
type Store = Pick<TelemetryStore, 'kind'>;
interface BucketAnswer extends Range {
  site: string;
  timeZone: string;
  unit: string;
  store: Store['kind'];
}

export type WaterHistory = BucketAnswer & { resident: string; buckets: WaterUsageBucket[] };
export type ActivityHistory = BucketAnswer & { elevator: string; availability: number | null; buckets: ElevatorActivityBucket[] };

/**
 * The history API: water use of a resident, an elevator's activity, events and states, read from the
 * configured telemetry store (embedded or InfluxDB); the learned routine from the rules core. Scoped
 * like the subjects they belong to.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly telemetry: TelemetryHolder,
    private readonly runtime: EngineRuntime,
    private readonly scope: ScopePolicy,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async water(user: AuthUser, id: string, q: WaterHistoryQuery): Promise<WaterHistory> {
    const site = this.resident(user, id);
    const store = this.store();
    const timeZone = q.timeZone ?? this.zoneOf(site);
    const range = this.range(q, UNIT_LIMITS[q.unit].defaultMs, UNIT_LIMITS[q.unit].maxMs, q.unit);
    const buckets = await this.ask(() => store.waterUsage({ resident: id, ...range, timeZone, unit: q.unit }));
    return { resident: id, site, timeZone, unit: q.unit, ...range, store: store.kind, buckets };
  }

  async waterReadings(user: AuthUser, id: string, q: SamplesHistoryQuery): Promise<{ resident: string; readings: WaterReadingRow[] }> {
    this.resident(user, id);
    const store = this.store();
    const range = this.range(q, UNIT_LIMITS.quarter.defaultMs, RAW_RANGE_MAX_MS, 'raw');
    return { resident: id, readings: await this.ask(() => store.waterReadings({ resident: id, ...range, limit: q.limit })) };
  }

  /** Needs no telemetry store: the routine lives in the rules core's persisted state. */
  routine(user: AuthUser, id: string): RoutineSummary & { resident: string; timeZone: string } {
    const site = this.resident(user, id);
    return { resident: id, timeZone: this.zoneOf(site), ...this.runtime.driver.rules.routineOf(id) };
  }

  async activity(user: AuthUser, id: string, q: ActivityHistoryQuery): Promise<ActivityHistory> {
    const site = this.elevator(user, id);
    const store = this.store();
    const timeZone = q.timeZone ?? this.zoneOf(site);
    const range = this.range(q, UNIT_LIMITS[q.unit].defaultMs, UNIT_LIMITS[q.unit].maxMs, q.unit);
    const buckets = await this.ask(() => store.elevatorActivity({ elevator: id, ...range, timeZone, unit: q.unit }));
    // The first sample within the whole buckets: the observed span starts there.
    const span = { from: buckets[0]?.start ?? range.from, to: buckets[buckets.length - 1]?.end ?? range.to };
    const first = await this.ask(() => store.elevatorStates({ elevator: id, ...span, limit: 1 }));
    return { elevator: id, site, timeZone, unit: q.unit, ...range, store: store.kind, availability: availability(buckets, first[0]?.ts, this.clock.now()), buckets };
  }

  async events(user: AuthUser, id: string, q: EventsHistoryQuery): Promise<{ elevator: string; events: DeviceEventRow[] }> {
    this.elevator(user, id);
    const store = this.store();
    const range = this.range(q, UNIT_LIMITS.day.defaultMs, UNIT_LIMITS.day.maxMs, 'events');
    const events = await this.ask(() => store.elevatorEvents({ elevator: id, ...range, limit: q.limit, ...(q.faultsOnly !== undefined ? { faultsOnly: q.faultsOnly } : {}) }));
    return { elevator: id, events };
  }

  async states(user: AuthUser, id: string, q: SamplesHistoryQuery): Promise<{ elevator: string; states: ElevatorStateRow[] }> {
    this.elevator(user, id);
    const store = this.store();
    const range = this.range(q, UNIT_LIMITS.quarter.defaultMs, RAW_RANGE_MAX_MS, 'raw');
    return { elevator: id, states: await this.ask(() => store.elevatorStates({ elevator: id, ...range, limit: q.limit })) };
  }

  private resident(user: AuthUser, id: string): string {
    const r = this.registry.getResident(id);
    if (!r) throw new NotFoundError('resident', id);
    this.scope.assertSubject(user, 'resident', r.site);
    return r.site;
  }

  private elevator(user: AuthUser, id: string): string {
    const e = this.registry.getElevator(id);
    if (!e) throw new NotFoundError('elevator', id);
    this.scope.assertSubject(user, 'elevator', e.site);
    return e.site;
  }

  private zoneOf(site: string): string {
    return this.registry.getSite(site)?.timezone ?? 'UTC';
  }

  private store(): TelemetryStore {
    const s = this.telemetry.store;
    if (!s) throw new HistoryUnavailableError('this platform keeps no telemetry history (HB_TELEMETRY_STORE=none)');
    return s;
  }

  /** `to` defaults to now, `from` to `to` minus the default span; the range must fit the limit. */
  private range(q: { from?: number | undefined; to?: number | undefined }, defaultMs: number, maxMs: number, what: string): Range {
    const to = q.to ?? this.clock.now();
    const from = q.from ?? Math.max(0, to - defaultMs);
    if (to <= from) throw new InvalidRequestError(`query field "to": must be after "from" (${from})`, 'to');
    if (to - from > maxMs) throw new InvalidRequestError(`query field "from": a ${what} range may span at most ${maxMs / 86_400_000} days`, 'from');
    return { from, to };
  }

  /** Store trouble becomes a named answer: a query the store cannot serve is 400, a failing InfluxDB 502. */
  private async ask<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TelemetryQueryError) throw new InvalidRequestError(err.message, 'from');
      throw new HistoryStoreError(`the history store did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
