import { ApiClient, ApiError, UnexpectedResponseError } from '../api/client';
import { localDayStart } from '../common/zonedTime';
import {
  activityHistorySchema,
  activityTotals,
  checkCallOutcome,
  checkCallsSchema,
  downtimeByReason,
  elevatorEventsSchema,
  getHistory,
  historyPaths,
  isUnavailable,
  liftReported,
  routineSchema,
  unavailableReason,
  waterHistorySchema,
  waterTotals,
} from './historyApi';
import { waterQuery } from './ranges';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 16); // 2026-11-21 00:00 in Shanghai

const water = {
  resident: 'R-0001',
  site: 'jiangsu-road',
  timeZone: 'Asia/Shanghai',
  unit: 'quarter',
  from: T0,
  to: T0 + H,
  store: 'embedded',
  buckets: [
    { start: T0, end: T0 + H / 4, label: '2026-11-21T00:00+08:00', usageL: 0, intervals: 0 },
    { start: T0 + H / 4, end: T0 + H / 2, label: '2026-11-21T00:15+08:00', usageL: 0, intervals: 1 },
    { start: T0 + H / 2, end: T0 + (3 * H) / 4, label: '2026-11-21T00:30+08:00', usageL: 12.5, intervals: 2 },
  ],
};

const bounds = {
  days: 18,
  sameDayType: true,
  firstUse: { from: '06:45', to: '07:40' },
  lastUse: { from: '21:19', to: '24:30' },
  longestQuietMin: 210,
  longestQuietByPart: { morning: 150, afternoon: 210, evening: 120 },
};

const routine = {
  resident: 'R-0001',
  timeZone: 'Asia/Shanghai',
  enabled: true,
  status: 'learned',
  learnedDays: 20,
  warmupDays: 12,
  dayStartsAt: '03:00',
  weekday: bounds,
  weekend: null,
  expecting: { kind: 'morning', due: T0 + 8 * H },
  profile: Array.from({ length: 96 }, (_, i) => (i >= 28 && i < 32 ? 1 : 0.1)),
  markedNormalDays: 1,
  missedCalls: 0,
};

const activity = {
  elevator: 'EL-0001',
  site: 'jiangsu-road',
  timeZone: 'Asia/Shanghai',
  unit: 'day',
  from: T0,
  to: T0 + 48 * H,
  store: 'influx',
  availability: 0.995,
  buckets: [0, 1].map((d) => ({
    start: T0 + d * 24 * H,
    end: T0 + (d + 1) * 24 * H,
    label: d === 0 ? '2026-11-21' : '2026-11-22',
    trips: 100 + d,
    doorCycles: 120,
    faults: d,
    downtimeMs: 60_000 * (d + 1),
    downtime: { offline: 60_000 * (d + 1), out_of_service: 0, maintenance: 0, power_off: 0 },
  })),
};

describe('history answers', () => {
  it('parses the water answer and tells "no data" from "0 L used"', () => {
    const h = waterHistorySchema.parse(water);
    expect(h.buckets).toHaveLength(3);
    // The silent quarter is not counted; the quarter with a reading and no use is data (0 L).
    expect(waterTotals(h.buckets)).toEqual({ litres: 12.5, withData: 2, noData: 1 });
  });

  it('refuses a water answer without intervals (it could not tell a silent meter from no use)', () => {
    const broken = { ...water, buckets: [{ start: T0, end: T0 + H, label: 'x', usageL: 0 }] };
    expect(waterHistorySchema.safeParse(broken).success).toBe(false);
  });

  it('parses the learned routine, with a weekend not learned yet and a bedtime past midnight', () => {
    const r = routineSchema.parse(routine);
    expect(r.weekday?.lastUse.to).toBe('24:30');
    expect(r.weekend).toBeNull();
    expect(r.expecting).toEqual({ kind: 'morning', due: T0 + 8 * H });
    expect(r.profile).toHaveLength(96);
    expect(routineSchema.parse({ ...routine, status: 'learning', learnedDays: 3, weekday: null, expecting: null }).status).toBe('learning');
    expect(routineSchema.safeParse({ ...routine, status: 'warming' }).success).toBe(false);
    // A quiet spell with a check-in call ahead.
    const quiet = { kind: 'quiet', due: T0 + 15 * H, since: T0 + 12 * H, callAt: T0 + 13 * H };
    expect(routineSchema.parse({ ...routine, expecting: quiet }).expecting).toEqual(quiet);
    expect(routineSchema.safeParse({ ...routine, expecting: { ...quiet, callAt: 'soon' } }).success).toBe(false);
  });

  it('parses elevator activity, sums downtime by reason, and accepts an unknown availability', () => {
    const a = activityHistorySchema.parse(activity);
    expect(downtimeByReason(a.buckets)).toEqual({ offline: 180_000, out_of_service: 0, maintenance: 0, power_off: 0 });
    expect(activityHistorySchema.parse({ ...activity, availability: null }).availability).toBeNull();
  });

  it('tells a day the lift terminal did not report from a day without trips', () => {
    const day = (d: number, trips: number, samples: number) => ({ ...activity.buckets[0], start: T0 + d * 24 * H, end: T0 + (d + 1) * 24 * H, trips, faults: 0, samples });
    const a = activityHistorySchema.parse({ ...activity, buckets: [day(0, 0, 0), day(1, 0, 2_880), day(2, 37, 9_120), day(3, 0, 0)] });
    expect(a.buckets.map(liftReported)).toEqual([false, true, true, false]);
    expect(activityTotals(a.buckets)).toEqual({ trips: 37, faults: 0, withData: 2, noData: 2 });
    // An engine older than `samples`: nothing is known about "no data", so every day counts as before.
    expect(activityTotals(activityHistorySchema.parse(activity).buckets)).toEqual({ trips: 201, faults: 1, withData: 2, noData: 0 });
  });

  it('parses check-in calls: one ringing, one answered with a late answer, one timed out; and why a resident is not rung first', () => {
    const placed = (n: number) => ({ callId: `RC-R-0001-${n}`, placedAt: T0 + n * H, timeoutAt: T0 + n * H + 120_000, reason: 'no water used since 12:00 (2.0 h): checking on the resident before raising an alert' });
    const c = checkCallsSchema.parse({
      resident: 'R-0001',
      checkIn: { ringsFirst: true },
      calls: [placed(3), { ...placed(2), result: 'no_answer', timedOut: true, resultAt: T0 + 2 * H + 120_000 }, { ...placed(1), result: 'answered_well', resultAt: T0 + H + 30_000, late: { result: 'needs_help', at: T0 + 3 * H } }],
    });
    expect(c.calls.map(checkCallOutcome)).toEqual(['ringing', 'no_answer', 'answered_well']);
    expect(c.calls[2]?.late).toEqual({ result: 'needs_help', at: T0 + 3 * H });
    expect(checkCallsSchema.parse({ resident: 'R-0002', checkIn: { ringsFirst: false, because: 'no_phone' }, calls: [] }).checkIn.because).toBe('no_phone');
    expect(checkCallsSchema.safeParse({ resident: 'R-0001', checkIn: { ringsFirst: true }, calls: [{ ...placed(1), result: 'hung_up' }] }).success).toBe(false);
    expect(historyPaths.checkCalls('R 1')).toBe('/api/residents/R%201/check-calls');
    expect(historyPaths.checkCalls('R-0001', { limit: 5 })).toBe('/api/residents/R-0001/check-calls?limit=5');
  });

  it('parses fault events', () => {
    const e = elevatorEventsSchema.parse({ elevator: 'EL-0001', events: [{ ts: T0, device: 'EL-0001', event: 'door_lock_fault', fault: true }, { ts: T0 + 1, device: 'EL-0001', event: 'alarm_button', heldMs: 3200, fault: false }] });
    expect(e.events.map((x) => x.event)).toEqual(['door_lock_fault', 'alarm_button']);
  });
});

describe('history routes', () => {
  it('builds the contract paths with encoded ids and epoch-ms queries', () => {
    expect(historyPaths.water('R 1', { from: 1, to: 2, unit: 'quarter', timeZone: 'Asia/Shanghai' })).toBe('/api/residents/R%201/history/water?from=1&to=2&unit=quarter&timeZone=Asia%2FShanghai');
    expect(historyPaths.routine('R-0001')).toBe('/api/residents/R-0001/routine');
    expect(historyPaths.activity('EL-0001', { from: 1, to: 2, unit: 'day' })).toBe('/api/elevators/EL-0001/history/activity?from=1&to=2&unit=day');
    expect(historyPaths.events('EL-0001', { from: 1, to: 2, faultsOnly: true, limit: 500 })).toBe('/api/elevators/EL-0001/history/events?from=1&to=2&faultsOnly=true&limit=500');
    expect(historyPaths.states('EL-0001', { from: 1, to: 2 })).toBe('/api/elevators/EL-0001/history/states?from=1&to=2');
  });

  it('counts a missing route and a platform without a telemetry store as "not available", nothing else', () => {
    expect(unavailableReason(new ApiError(404, 'not_found', 'Cannot GET'))).toBe('no_route');
    expect(unavailableReason(new ApiError(404, 'http_404', 'Not Found'))).toBe('no_route');
    expect(unavailableReason(new ApiError(503, 'history_unavailable', 'no telemetry store'))).toBe('no_store');
    // A missing resident, a forbidden site, a bad query, a platform restarting: real errors.
    expect(unavailableReason(new ApiError(404, 'resident_not_found', 'R-9'))).toBeUndefined();
    expect(unavailableReason(new ApiError(404, 'elevator_not_found', 'EL-9'))).toBeUndefined();
    expect(unavailableReason(new ApiError(403, 'forbidden', 'x'))).toBeUndefined();
    expect(unavailableReason(new ApiError(400, 'invalid_request', 'x'))).toBeUndefined();
    expect(unavailableReason(new ApiError(503, 'http_503', 'x'))).toBeUndefined();
    expect(unavailableReason(new Error('network'))).toBeUndefined();
  });

  describe('getHistory over fetch', () => {
    const realFetch = global.fetch;
    afterEach(() => {
      global.fetch = realFetch;
    });
    const answer = (status: number, body: unknown) => {
      global.fetch = jest.fn(() => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })));
    };
    const api = new ApiClient({ token: () => 't', onUnauthorized: () => undefined });
    const path = historyPaths.water('R-0001', { from: 1, to: 2, unit: 'day' });

    it('returns the parsed answer', async () => {
      answer(200, water);
      const h = await getHistory(api, path, waterHistorySchema);
      expect(isUnavailable(h)).toBe(false);
      expect(isUnavailable(h) ? undefined : h.buckets.length).toBe(3);
    });

    it('returns "unavailable" for 503 history_unavailable and for an unknown route', async () => {
      answer(503, { error: 'history_unavailable', message: 'the platform runs without a telemetry store' });
      expect(await getHistory(api, path, waterHistorySchema)).toEqual({ unavailable: 'no_store' });
      answer(404, { error: 'not_found', message: 'Cannot GET /api/residents/R-0001/history/water' });
      expect(await getHistory(api, path, waterHistorySchema)).toEqual({ unavailable: 'no_route' });
    });

    it('keeps other failures as errors: a bad query, a missing resident, an answer of another shape', async () => {
      answer(400, { error: 'invalid_request', message: 'range too long', field: 'to' });
      await expect(getHistory(api, path, waterHistorySchema)).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
      answer(404, { error: 'resident_not_found', message: 'R-0001' });
      await expect(getHistory(api, path, waterHistorySchema)).rejects.toMatchObject({ status: 404, code: 'resident_not_found' });
      answer(200, [{ start: 0, usageL: 1 }]);
      await expect(getHistory(api, path, waterHistorySchema)).rejects.toBeInstanceOf(UnexpectedResponseError);
    });
  });
});

describe('chart ranges', () => {
  const now = Date.UTC(2026, 10, 21, 6, 7, 30); // 14:07:30 in Shanghai

  it('24 h by quarter hour starts on a quarter: 96 buckets, the last one in progress', () => {
    const q = waterQuery('day', now, 'Asia/Shanghai');
    expect(q.unit).toBe('quarter');
    expect(q.from).toBe(Date.UTC(2026, 10, 20, 6, 15));
    expect(Math.ceil((q.to - q.from) / (15 * 60_000))).toBe(96);
  });

  it('7 and 30 days start at a local midnight, today included', () => {
    expect(waterQuery('week', now, 'Asia/Shanghai')).toEqual({ from: Date.UTC(2026, 10, 14, 16), to: now, unit: 'day' });
    expect(waterQuery('month', now, 'Asia/Shanghai').from).toBe(Date.UTC(2026, 9, 22, 16));
  });

  it('counts local days across a DST change (Berlin, end of October: a 25 h day)', () => {
    const berlin = Date.UTC(2026, 10, 1, 12); // 2026-11-01 13:00 CET
    expect(localDayStart(berlin, 'Europe/Berlin', 7)).toBe(Date.UTC(2026, 9, 24, 22)); // 2026-10-25 00:00 CEST
  });
});
