import type { ElevatorActivityBucket } from '@hearthbeat/telemetry';
import { availability } from './availability';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.parse('2025-03-01T00:00:00Z');

/** Day `i` of the range: `samples` reports, `offline` ms of offline downtime as the store counted it. */
function day(i: number, samples: number, offline = 0): ElevatorActivityBucket {
  return {
    start: T + i * DAY,
    end: T + (i + 1) * DAY,
    label: `day ${i}`,
    trips: samples > 0 ? 10 : 0,
    doorCycles: 0,
    faults: 0,
    downtimeMs: offline,
    downtime: { offline, out_of_service: 0, maintenance: 0, power_off: 0 },
    samples,
  };
}

describe('availability', () => {
  it('does not count the days before the first report', () => {
    const days = [day(0, 0), day(1, 0), day(2, 500), day(3, 900)];
    expect(availability(days, T + 2 * DAY + 12 * HOUR, T + 4 * DAY)).toBe(1);
  });

  it('counts a day without data as down in full, whether or not the store counted its silence as offline', () => {
    const first = T + HOUR;
    const span = 3 * DAY - HOUR;
    // The store saw the silence (the tracker had the sample before it): 24 h offline.
    expect(availability([day(0, 900), day(1, 0, DAY), day(2, 900)], first, T + 3 * DAY)).toBeCloseTo(1 - DAY / span, 12);
    // It did not (a platform restart forgot the sample before the silence): no downtime, still no data.
    expect(availability([day(0, 900), day(1, 0), day(2, 900)], first, T + 3 * DAY)).toBeCloseTo(1 - DAY / span, 12);
  });

  it('counts downtime of the days with data as the store gives it', () => {
    expect(availability([day(0, 900, 6 * HOUR), day(1, 900)], T, T + 2 * DAY)).toBeCloseTo(1 - 6 / 48, 12);
  });

  it('counts today up to now: silent since midnight is down so far', () => {
    expect(availability([day(0, 900), day(1, 0)], T, T + DAY + 6 * HOUR)).toBeCloseTo(1 - 6 / 30, 12);
  });

  it('starts at the first bucket with data when the raw samples of its day are gone', () => {
    // No raw sample in the range any more (past raw retention), or only from a later day on.
    expect(availability([day(0, 0), day(1, 300), day(2, 0)], undefined, T + 3 * DAY)).toBeCloseTo(1 / 2, 12);
    expect(availability([day(0, 0), day(1, 300), day(2, 0), day(3, 900)], T + 3 * DAY + HOUR, T + 4 * DAY)).toBeCloseTo(2 / 3, 12);
  });

  it('is null when the car was not heard in the range', () => {
    expect(availability([day(0, 0), day(1, 0)], undefined, T + 2 * DAY)).toBeNull();
    expect(availability([], undefined, T)).toBeNull();
    expect(availability([day(0, 900)], T + HOUR, T + HOUR)).toBeNull();
  });
});
