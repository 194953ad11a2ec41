import { waterReadingsOf, type DeviceMessage } from '@hearthbeat/contracts';
import { DEFAULT_OFFLINE_AFTER_MS, ElevatorActivityTracker, splitInterval, type ElevatorActivity } from './elevator-activity.tracker';
import type { DeviceHealthPoint, TelemetryPoint, TelemetrySubject } from './telemetry-point';

/** Downtime pieces never cross a quarter hour, so any zone's local hours and days split them exactly. */
export const DOWNTIME_PIECE_MS = 15 * 60_000;

/**
 * Maps each parsed device message to the points both stores keep: readings, elevator states, events,
 * health and status as received, plus elevator trips, door cycles and downtime derived on the way by
 * one tracker per elevator device. Pure apart from the trackers; a few microseconds a message, which
 * is why it can run on the caller's hot path.
 */
export class MessagePointsMapper {
  private readonly trackers = new Map<string, ElevatorActivityTracker>();

  constructor(private readonly offlineAfterMs = DEFAULT_OFFLINE_AFTER_MS) {}

  map(msg: DeviceMessage, subject: TelemetrySubject, receivedAt: number): TelemetryPoint[] {
    const base = { site: subject.site, device: msg.deviceId };
    const who = { kind: msg.kind, subjectType: subject.type, subject: subject.id };
    if (msg.channel === 'status') {
      return [{ m: 'device_status', ts: msg.body.ts ?? receivedAt, ...base, ...who, online: msg.body.online, receivedAt }];
    }
    if (msg.channel === 'event') {
      const heldMs = 'heldMs' in msg.body ? msg.body.heldMs : undefined;
      return [{ m: 'device_event', ts: msg.body.ts, ...base, ...who, event: msg.body.event, ...(heldMs !== undefined ? { heldMs } : {}), receivedAt }];
    }
    const out: TelemetryPoint[] = [];
    const b = msg.body;
    if (b.batteryPct !== undefined || b.rssi !== undefined || ('valve' in b && b.valve !== undefined)) {
      const health: DeviceHealthPoint = { m: 'device_health', ts: b.ts, ...base, ...who };
      if (b.batteryPct !== undefined) health.batteryPct = b.batteryPct;
      if (b.rssi !== undefined) health.rssi = b.rssi;
      if ('valve' in b && b.valve !== undefined) health.valve = b.valve;
      out.push(health);
    }
    if (msg.kind === 'water_meter') {
      const resident = subject.type === 'resident' ? { resident: subject.id } : {};
      for (const r of waterReadingsOf(msg.body)) {
        out.push({ m: 'water', ts: r.ts, ...base, ...resident, totalL: r.totalL, ...(r.flowLpm !== undefined ? { flowLpm: r.flowLpm } : {}) });
      }
    } else if (msg.kind === 'elevator') {
      const s = msg.body;
      const elevator = subject.id;
      out.push({
        m: 'elevator_state',
        ts: s.ts,
        ...base,
        elevator,
        floor: s.floor,
        doorZone: s.doorZone,
        direction: s.direction,
        door: s.door,
        occupied: s.occupied,
        speedMps: s.speedMps,
        mode: s.mode,
        power: s.power,
      });
      for (const a of this.tracker(msg.deviceId).push(s)) out.push(...activityPoints(a, base, elevator));
    }
    return out;
  }

  /** The tracker's view of an elevator device (tests and diagnostics). */
  trackerOf(deviceId: string): ElevatorActivityTracker | undefined {
    return this.trackers.get(deviceId);
  }

  private tracker(deviceId: string): ElevatorActivityTracker {
    let t = this.trackers.get(deviceId);
    if (!t) {
      t = new ElevatorActivityTracker(this.offlineAfterMs);
      this.trackers.set(deviceId, t);
    }
    return t;
  }
}

function activityPoints(a: ElevatorActivity, base: { site: string; device: string }, elevator: string): TelemetryPoint[] {
  switch (a.type) {
    case 'trip':
      return [{ m: 'elevator_trip', ts: a.ts, ...base, elevator, fromFloor: a.fromFloor, toFloor: a.toFloor, durationMs: a.durationMs }];
    case 'door_cycle':
      return [{ m: 'elevator_door_cycle', ts: a.ts, ...base, elevator, openMs: a.openMs }];
    case 'downtime':
      return splitInterval(a.from, a.to, DOWNTIME_PIECE_MS).map(([from, to]) => ({
        m: 'elevator_downtime' as const,
        ts: from,
        ...base,
        elevator,
        reason: a.reason,
        durationMs: to - from,
      }));
  }
}
