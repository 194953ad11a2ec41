import { seededRandom } from '@hearthbeat/testing';

/**
 * History for the screenshots: a month of one resident's water meter and a few days of one lift,
 * published over MQTT like real devices uploading a backlog, so that the resident page shows real
 * charts and a learned routine, and the lift page real availability, trips and faults.
 */
const QUARTER = 15 * 60_000;
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Local wall-clock minutes since midnight and weekday (0 Sunday) in a fixed-offset zone such as Shanghai. */
function local(ts: number, offsetMs: number): { minute: number; weekday: number; day: number } {
  const d = new Date(ts + offsetMs);
  return { minute: d.getUTCHours() * 60 + d.getUTCMinutes(), weekday: d.getUTCDay(), day: Math.floor((ts + offsetMs) / DAY) };
}

export interface WaterReading {
  ts: number;
  totalL: number;
}

/**
 * Quarter-hour readings of an elderly person's meter from `from` to `to`: rising around 06:40 (later at
 * weekends) with toilet, washing and kettle, meals, an afternoon outing some days, a shower most
 * evenings, bed around 21:45, now and then a night-time flush. `silent` ranges have no readings (the
 * meter did not report): the charts must show them as "no data", not as zero. The register ends at
 * `endTotalL` on the last reading.
 */
export function waterBacklog(opts: { from: number; to: number; offsetMs: number; endTotalL: number; seed: number; silent?: readonly [number, number][] }): WaterReading[] {
  const rnd = seededRandom(opts.seed);
  const jitter = (min: number) => Math.round((rnd() * 2 - 1) * min);
  // Uses of each local day (minute of the day, litres), drawn once per day.
  const uses = new Map<number, [number, number][]>();
  const usesOf = (day: number, weekday: number): [number, number][] => {
    const known = uses.get(day);
    if (known) return known;
    const weekend = weekday === 0 || weekday === 6;
    const rise = (weekend ? 7 * 60 + 20 : 6 * 60 + 40) + jitter(20);
    const bed = 21 * 60 + 45 + jitter(25);
    const list: [number, number][] = [
      [rise, 6],
      [rise + 10, 4],
      [rise + 25, 2.5],
      [rise + 50, 3],
      [9 * 60 + 30 + jitter(40), 6],
      [11 * 60 + 40 + jitter(20), 7.5],
      [12 * 60 + 30 + jitter(15), 4],
      [17 * 60 + 40 + jitter(20), 9],
      [18 * 60 + 20 + jitter(15), 5],
      [bed - 20, 4],
      [bed, 6],
    ];
    // An afternoon at the community centre on some days; a toilet visit otherwise.
    if (rnd() < 0.6) list.push([14 * 60 + 30 + jitter(60), 6]);
    if (rnd() < 0.75) list.push([19 * 60 + 45 + jitter(30), 28]); // shower
    if (rnd() < 0.3) list.push([2 * 60 + 30 + jitter(45), 6]); // night-time flush
    uses.set(day, list);
    return list;
  };
  const usedIn = (a: number, b: number): number => {
    let litres = 0;
    for (let t = a; t < b; t += MIN) {
      const l = local(t, opts.offsetMs);
      for (const [minute, amount] of usesOf(l.day, l.weekday)) if (minute === l.minute) litres += amount;
    }
    return litres;
  };
  const start = Math.ceil(opts.from / QUARTER) * QUARTER;
  const silent = opts.silent ?? [];
  const times: number[] = [];
  for (let t = start; t < opts.to; t += QUARTER) if (!silent.some(([a, b]) => t > a && t < b)) times.push(t);
  // Usage of each interval (readings around a silence span it: the meter sends its register when it is back).
  const deltas = times.map((t, i) => (i === 0 ? 0 : usedIn(times[i - 1] ?? t, t)));
  const total = deltas.reduce((s, d) => s + d, 0);
  let register = Math.round((opts.endTotalL - total) * 10) / 10;
  return times.map((ts, i) => {
    register = Math.round((register + (deltas[i] ?? 0)) * 10) / 10;
    return { ts, totalL: register };
  });
}

export interface LiftSample {
  ts: number;
  floor: number;
  doorZone: boolean;
  direction: 'up' | 'down' | 'stopped';
  door: 'open' | 'closed' | 'opening' | 'closing';
  occupied: boolean;
  speedMps: number;
  mode: 'normal' | 'maintenance' | 'out_of_service';
  power: 'mains' | 'off';
}

export interface LiftEvent {
  ts: number;
  event: string;
}

/**
 * A lift's last days: trips during the day (more in the morning and evening), idle reports every
 * 50 s (a silence over 60 s is offline downtime), an hour of maintenance, 25 minutes without a
 * word from the terminal, a safety-circuit trip, a daily test call. Ends idle at `to`.
 */
export function liftBacklog(opts: { from: number; to: number; offsetMs: number; seed: number; minFloor: number; maxFloor: number }): { samples: LiftSample[]; events: LiftEvent[] } {
  const rnd = seededRandom(opts.seed);
  const samples: LiftSample[] = [];
  const events: LiftEvent[] = [];
  const idle = (ts: number, floor: number, extra: Partial<LiftSample> = {}): LiftSample => ({ ts, floor, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains', ...extra });
  let floor = 1;
  let t = opts.from;
  const days = Math.ceil((opts.to - opts.from) / DAY);
  const maintenanceAt = opts.to - DAY - 4 * HOUR; // yesterday, in the morning
  const silenceAt = opts.to - 2 * DAY + 3 * HOUR;
  const safetyAt = opts.to - Math.max(1, days - 1) * DAY + 7 * HOUR;
  let maintenanceDone = false;
  let silenceDone = false;
  let safetyDone = false;
  while (t < opts.to - 2 * MIN) {
    const hour = Math.floor(local(t, opts.offsetMs).minute / 60);
    if (!maintenanceDone && t >= maintenanceAt) {
      maintenanceDone = true;
      for (let m = t; m < t + HOUR; m += 50_000) samples.push(idle(m, floor, { mode: 'maintenance' }));
      t += HOUR;
      continue;
    }
    if (!silenceDone && t >= silenceAt) {
      // The terminal's link drops for 25 minutes: nothing is known, so it counts as offline downtime.
      silenceDone = true;
      t += 25 * MIN;
      continue;
    }
    if (!safetyDone && t >= safetyAt) {
      safetyDone = true;
      events.push({ ts: t, event: 'safety_circuit' });
    }
    const busy = hour >= 7 && hour < 9 ? 0.5 : hour >= 17 && hour < 20 ? 0.45 : hour >= 6 && hour < 22 ? 0.18 : 0.02;
    if (rnd() < busy) {
      // A trip: the car leaves with a passenger at about 1.5 m/s (3 m a floor), stops, the doors open and
      // close. The backlog never shows a car stopped with the doors shut and someone inside, nor doors
      // standing open: the engine's timed rules would take a backlog's past instants as still running.
      const to = Math.min(opts.maxFloor, Math.max(opts.minFloor, floor === 1 ? 2 + Math.floor(rnd() * 16) : 1));
      const floors = Math.abs(to - floor);
      if (floors === 0) {
        t += 50_000;
        continue;
      }
      const dir = to > floor ? 'up' : 'down';
      const run = Math.max(4_000, floors * 2_000);
      samples.push(idle(t, floor));
      samples.push(idle(t + 1_000, floor, { occupied: true, doorZone: false, direction: dir, speedMps: 1.5 }));
      samples.push(idle(t + 1_000 + run, to, { occupied: true, door: 'opening' }));
      samples.push(idle(t + 4_000 + run, to, { door: 'closing' }));
      samples.push(idle(t + 7_000 + run, to));
      floor = to;
      t += 50_000;
    } else {
      samples.push(idle(t, floor));
      t += 50_000;
    }
  }
  // The emergency phone is tested every day (EN 81-28 asks for every 72 h).
  for (let ts = opts.from + 2 * HOUR; ts < opts.to; ts += DAY) events.push({ ts, event: 'test_call' });
  return { samples: samples.filter((s) => s.ts < opts.to), events: events.sort((a, b) => a.ts - b.ts) };
}
