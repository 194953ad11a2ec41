import type { DeviceMessage, ElevatorTelemetry } from '@hearthbeat/contracts';
import type { TelemetrySubject } from '../points/telemetry-point';
import { seededRandom } from '@hearthbeat/testing';

/** One message as the engine would hand it to the store. */
export interface RecordedMessage {
  message: DeviceMessage;
  subject: TelemetrySubject;
  receivedAt: number;
}

export interface SyntheticFleet {
  site: string;
  residents: Array<{ id: string; meter: string; alarm: string }>;
  elevators: Array<{ id: string; device: string; minFloor: number; maxFloor: number }>;
}

export function syntheticFleet(residents: number, elevators: number, site = 'jiangsu-road'): SyntheticFleet {
  const pad = (n: number) => String(n).padStart(4, '0');
  return {
    site,
    residents: Array.from({ length: residents }, (_, i) => ({ id: `R-${pad(i + 1)}`, meter: `WM-${pad(i + 1)}`, alarm: `SA-${pad(i + 1)}` })),
    elevators: Array.from({ length: elevators }, (_, i) => ({ id: `EL-${pad(i + 1)}`, device: `EL-${pad(i + 1)}`, minFloor: -1, maxFloor: 12 + (i % 7) })),
  };
}

const QUARTER = 15 * 60_000;

/**
 * A resident's meter, one reading every 15 min at 0.1 L resolution: use around meals and evening,
 * little at night; every resident number divisible by 7 gets a meter reset on the third day (the
 * register restarts near zero: never usage), and one in 11 a 6-hour outage (no readings).
 */
export function* waterHistory(fleet: SyntheticFleet, start: number, days: number, seed: number): Generator<RecordedMessage> {
  for (const [idx, r] of fleet.residents.entries()) {
    const rnd = seededRandom(seed * 7919 + idx);
    let total = Math.round(rnd() * 200_000) / 10;
    const n = (days * 86_400_000) / QUARTER;
    const subject: TelemetrySubject = { type: 'resident', id: r.id, site: fleet.site };
    const resetAt = (idx + 1) % 7 === 0 ? Math.floor(n * 0.3) : -1;
    const outage = (idx + 1) % 11 === 0 ? [Math.floor(n * 0.5), Math.floor(n * 0.5) + 24] : [-1, -1];
    for (let i = 0; i <= n; i++) {
      const ts = start + i * QUARTER;
      const hourUtc = new Date(ts).getUTCHours();
      const active = [22, 23, 0, 1, 2, 3, 4, 10, 11, 12].includes(hourUtc);
      total += active && rnd() < 0.6 ? Math.round(rnd() * 300) / 10 : 0;
      if (i === resetAt) total = Math.round(rnd() * 50) / 10;
      if (i >= (outage[0] ?? -1) && i < (outage[1] ?? -1)) continue;
      const body = { ts, seq: i, totalL: Math.round(total * 10) / 10, batteryPct: 90, rssi: -80 };
      yield { message: { deviceId: r.meter, kind: 'water_meter', channel: 'telemetry', body }, subject, receivedAt: ts + 500 };
    }
  }
}

/**
 * An elevator terminal: a state every 30 s while idle and every 2 s while moving (protocol.md allows
 * up to 2 Hz), trips of a few floors with a door cycle at each stop, one out-of-service hour a day,
 * a 10-minute silence on the second day, and a fault event a day.
 */
export function* elevatorHistory(fleet: SyntheticFleet, start: number, days: number, seed: number): Generator<RecordedMessage> {
  for (const [idx, e] of fleet.elevators.entries()) {
    const rnd = seededRandom(seed * 104_729 + idx);
    const subject: TelemetrySubject = { type: 'elevator', id: e.id, site: fleet.site };
    const end = start + days * 86_400_000;
    let t = start;
    let floor = 0;
    const state = (ts: number, patch: Partial<ElevatorTelemetry>): RecordedMessage => {
      const body: ElevatorTelemetry = { ts, floor, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains', ...patch };
      return { message: { deviceId: e.device, kind: 'elevator', channel: 'telemetry', body }, subject, receivedAt: ts + 200 };
    };
    while (t < end) {
      const day = Math.floor((t - start) / 86_400_000);
      const minuteOfDay = Math.floor(((t - start) % 86_400_000) / 60_000);
      if (minuteOfDay >= 180 && minuteOfDay < 240) {
        yield state(t, { mode: 'out_of_service' });
        t += 30_000;
        continue;
      }
      if (day === 1 && minuteOfDay >= 600 && minuteOfDay < 610) {
        t += 30_000;
        continue;
      }
      if (minuteOfDay === 300 && (t - start) % 60_000 < 30_000) {
        yield { message: { deviceId: e.device, kind: 'elevator', channel: 'event', body: { ts: t + 1, event: day % 2 ? 'door_lock_fault' : 'safety_circuit' } }, subject, receivedAt: t + 300 };
      }
      if (rnd() < 0.15) {
        const target = Math.max(e.minFloor, Math.min(e.maxFloor, floor + (rnd() < 0.5 ? -1 : 1) * (1 + Math.floor(rnd() * 5))));
        if (target !== floor) {
          yield state(t, { door: 'opening', occupied: true });
          yield state(t + 2_000, { door: 'open', occupied: true });
          yield state(t + 8_000, { door: 'closing', occupied: true });
          yield state(t + 10_000, { door: 'closed', occupied: true });
          const dir = target > floor ? 'up' : 'down';
          let ts = t + 12_000;
          const steps = Math.abs(target - floor);
          for (let s = 0; s < steps; s++) {
            yield state(ts, { direction: dir, doorZone: false, speedMps: 1.5, occupied: true });
            ts += 2_000;
          }
          floor = target;
          yield state(ts, { occupied: true, door: 'closed' });
          t = ts + 30_000;
          continue;
        }
      }
      yield state(t, {});
      t += 30_000;
    }
  }
}

export function smokeHistory(fleet: SyntheticFleet, start: number, days: number): RecordedMessage[] {
  const out: RecordedMessage[] = [];
  for (const r of fleet.residents) {
    const subject: TelemetrySubject = { type: 'resident', id: r.id, site: fleet.site };
    for (let h = 0; h < days * 24; h += 6) {
      const ts = start + h * 3_600_000;
      out.push({ message: { deviceId: r.alarm, kind: 'smoke_alarm', channel: 'telemetry', body: { ts, batteryPct: 95, rssi: -90 } }, subject, receivedAt: ts + 100 });
    }
  }
  return out;
}
