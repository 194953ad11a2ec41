import type { Direction, DoorState, ElevatorMode, PowerState } from '@hearthbeat/contracts';
import type { DowntimeReason } from './telemetry-point';

/** The state fields the activity definitions read. */
export interface ElevatorSample {
  ts: number;
  floor: number;
  direction: Direction;
  door: DoorState;
  mode: ElevatorMode;
  power: PowerState;
}

export type ElevatorActivity =
  | { type: 'trip'; ts: number; fromFloor: number; toFloor: number; durationMs: number }
  | { type: 'door_cycle'; ts: number; openMs: number }
  | { type: 'downtime'; from: number; to: number; reason: DowntimeReason };

/**
 * protocol.md: a terminal reports at least every 30 s while idle, so a silence of two intervals is
 * the point where the `elevator.offline` rule would speak; the same default marks downtime here.
 */
export const DEFAULT_OFFLINE_AFTER_MS = 60_000;

/** Why the car is unavailable in this state, or null: power off first, then the service mode. */
export function downReasonOf(s: Pick<ElevatorSample, 'mode' | 'power'>): DowntimeReason | null {
  if (s.power === 'off') return 'power_off';
  if (s.mode === 'out_of_service') return 'out_of_service';
  if (s.mode === 'maintenance') return 'maintenance';
  return null;
}

/**
 * Why [from, to) after the sample `last` counts as downtime when nothing was heard in between:
 * the state last heard if that was down, otherwise "offline" once the silence exceeds the limit.
 */
export function silenceReason(last: Pick<ElevatorSample, 'mode' | 'power'>, silenceMs: number, offlineAfterMs: number): DowntimeReason | null {
  return downReasonOf(last) ?? (silenceMs > offlineAfterMs ? 'offline' : null);
}

/**
 * Turns one elevator's state samples, in device-time order, into activity:
 * - a trip is a run that leaves a stopped car and ends stopped at another floor; re-levelling at the
 *   same floor is no trip; stamped at the arriving sample, in any service mode;
 * - a door cycle is the door seen opening or open and then closed, stamped at the closed sample;
 * - downtime is each interval between consecutive samples during which the car was down (the earlier
 *   sample in mode out_of_service or maintenance, or power off), or, whatever the state, a silence
 *   longer than `offlineAfterMs`: counted in full, since nothing is known about it.
 * A sample at or before the last one (a QoS 1 redelivery, a late straggler) changes nothing.
 */
export class ElevatorActivityTracker {
  private lastSample: ElevatorSample | undefined;
  /** Floor of the last stopped sample; undefined until one is seen. */
  private stopFloor: number | undefined;
  private runStartedAt: number | undefined;
  private doorOpenedAt: number | undefined;
  private stale = 0;

  constructor(private readonly offlineAfterMs = DEFAULT_OFFLINE_AFTER_MS) {}

  get last(): ElevatorSample | undefined {
    return this.lastSample;
  }

  /** Samples ignored because they were not newer than the last one. */
  get staleSamples(): number {
    return this.stale;
  }

  push(s: ElevatorSample): ElevatorActivity[] {
    const prev = this.lastSample;
    if (prev && s.ts <= prev.ts) {
      this.stale++;
      return [];
    }
    const out: ElevatorActivity[] = [];
    if (prev) {
      const reason = silenceReason(prev, s.ts - prev.ts, this.offlineAfterMs);
      if (reason) out.push({ type: 'downtime', from: prev.ts, to: s.ts, reason });
    }
    if (s.direction === 'stopped') {
      if (this.runStartedAt !== undefined && this.stopFloor !== undefined && s.floor !== this.stopFloor) {
        out.push({ type: 'trip', ts: s.ts, fromFloor: this.stopFloor, toFloor: s.floor, durationMs: s.ts - this.runStartedAt });
      }
      this.stopFloor = s.floor;
      this.runStartedAt = undefined;
    } else if (this.runStartedAt === undefined) {
      this.runStartedAt = s.ts;
    }
    if (s.door === 'open' || s.door === 'opening') {
      this.doorOpenedAt ??= s.ts;
    } else if (s.door === 'closed') {
      if (this.doorOpenedAt !== undefined) out.push({ type: 'door_cycle', ts: s.ts, openMs: s.ts - this.doorOpenedAt });
      this.doorOpenedAt = undefined;
    }
    this.lastSample = s;
    return out;
  }
}

/** [from, to) cut at multiples of `stepMs` (UTC), so that each piece lies in one stored slot. */
export function splitInterval(from: number, to: number, stepMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let a = from;
  while (a < to) {
    const b = Math.min(to, Math.floor(a / stepMs) * stepMs + stepMs);
    out.push([a, b]);
    a = b;
  }
  return out;
}
