import type { DeviceKind, Direction, DoorState, ElevatorMode, PowerState, RuleId, Severity, TimelineDetails } from '@hearthbeat/contracts';

/**
 * Per-device state: plain JSON, persisted as one row per device by the live engine. Every pending
 * deadline of the device is in `due`, so a restart rebuilds the deadline queue from these rows alone.
 */
export const DEVICE_TIMERS = ['offline', 'noActivity', 'entrapment', 'outsideZone', 'doorHeld', 'backlog', 'testCall'] as const;
export type DeviceTimerName = (typeof DEVICE_TIMERS)[number];

/** Recently seen (channel, ts, seq, event) keys: QoS 1 redeliveries are dropped (complaint 4). */
export interface DedupRing {
  ts: number[];
  seq: number[];
  code: number[];
  next: number;
}
export const DEDUP_SIZE = 32;

export interface WaterState {
  /** Reading time of the first reading ever: a no-activity window never reaches back before it. */
  since?: number;
  /** Retained interval readings, sorted by reading time: ts, cumulative register (L), flow (L/min). */
  ts: number[];
  total: number[];
  flow: number[];
  /** The latest reading with usage (never pruned: reason texts cite it). */
  lastUseTs?: number;
  lastUseL?: number;
  /** Usage per local day of the site: [dayStart, liters, dayStart, liters, ...], at most 3 days. */
  days: number[];
  /** Local day (start) for which water.high_use already fired. */
  highUseDay?: number;
  /** The no-activity episode (its start) that already fired: one alert per episode. */
  noActivityLatch?: number;
  /** The flow run (its start) that already fired water.continuous_flow. */
  flowLatch?: number;
  /** The valve reports "fault" (edge-triggered: one trigger per fault episode). */
  valveFault?: boolean;
}

export interface SmokeState {
  alarmSince?: number;
  tamperSince?: number;
  lowBatteryAt?: number;
  lastTestAt?: number;
}

/** An alert of an instantaneous lift rule caused by a late message, waiting for the end of the backlog. */
export interface HeldRaise {
  /** Reading and receipt time of the message that caused it. */
  ts: number;
  at: number;
  reason: string;
  details: TimelineDetails;
  severity: Severity;
}

/** A lift terminal uploading late messages (its backlog after a reconnect): rules/elevator/late-reports.ts. */
export interface LateReports {
  /** While the backlog arrives: receipt of the latest late message + the grace. */
  until?: number;
  /** When the current backlog began (receipt time): it never lasts more than BACKLOG_MAX_MS. */
  from?: number;
  /** Receipt times of the late states that started the timed conditions, by their since field. */
  started?: Partial<Record<'trapSince' | 'outsideSince' | 'doorOpenSince', number>>;
  /** Held alerts by rule, judged on the latest state when the backlog ends. */
  held?: Partial<Record<RuleId, HeldRaise>>;
}

/**
 * A lift terminal's clock as the platform sees it (elevator-state.ts noteClock): how far behind the
 * receive time its readings usually are, learned from windows of steady reports.
 */
export interface TerminalClock {
  /** The usual receive time - reading time, ms (negative: the terminal's clock runs ahead). */
  lagMs: number;
  /** The current window: its start (receipt), messages, least and greatest lag. */
  from: number;
  n: number;
  lo: number;
  hi: number;
}

export interface ElevatorState {
  /** Reading time of the state below; older telemetry is stale and ignored. */
  stateTs?: number;
  floor?: number;
  doorZone?: boolean;
  direction?: Direction;
  door?: DoorState;
  occupied?: boolean;
  speedMps?: number;
  mode?: ElevatorMode;
  power?: PowerState;
  /** Starts of the timed conditions (reading time). */
  trapSince?: number;
  outsideSince?: number;
  doorOpenSince?: number;
  movingOpen?: boolean;
  /** 0 none, 1 above factor, 2 above criticalFactor. */
  overspeedLevel?: number;
  powerLost?: boolean;
  /** Reading times the door arrived open, within the cycling window. */
  cycles: number[];
  cyclingLatched?: boolean;
  lastTestCallAt?: number;
  /** Present while late messages are being judged (absent for a terminal reporting on time). */
  late?: LateReports;
  /** The terminal's clock lag, learned (absent until its first message). */
  clock?: TerminalClock;
}

export interface DeviceState {
  id: string;
  kind: DeviceKind;
  firstSeenAt?: number;
  /** Platform (receive) time of the latest message. */
  lastSeenAt?: number;
  /** Since when the platform has been listening without a break (start, restart, reconnect). */
  listenSince: number;
  /** False once the offline deadline fired, until the next message. */
  online: boolean;
  /** From status messages: the broker's view of the connection (the Last Will says false). */
  connected?: boolean;
  batteryPct?: number;
  batteryLow?: boolean;
  dedup: DedupRing;
  /** Latest reading time per event name: an older or equal one is a replay (complaint 3). */
  evTs: Record<string, number>;
  due: Partial<Record<DeviceTimerName, number>>;
  water?: WaterState;
  smoke?: SmokeState;
  elevator?: ElevatorState;
}

export function newDeviceState(id: string, kind: DeviceKind, listenSince: number): DeviceState {
  const s: DeviceState = {
    id,
    kind,
    listenSince,
    online: true,
    dedup: { ts: [], seq: [], code: [], next: 0 },
    evTs: {},
    due: {},
  };
  if (kind === 'water_meter') s.water = { ts: [], total: [], flow: [], days: [] };
  else if (kind === 'smoke_alarm') s.smoke = {};
  else s.elevator = { cycles: [] };
  return s;
}

/** True when this (channel, ts, seq, event) was seen recently; otherwise remembers it. */
export function isDuplicate(ring: DedupRing, ts: number, seq: number, code: number): boolean {
  const n = ring.ts.length;
  for (let i = 0; i < n; i++) {
    if (ring.ts[i] === ts && ring.seq[i] === seq && ring.code[i] === code) return true;
  }
  if (n < DEDUP_SIZE) {
    ring.ts.push(ts);
    ring.seq.push(seq);
    ring.code.push(code);
  } else {
    ring.ts[ring.next] = ts;
    ring.seq[ring.next] = seq;
    ring.code[ring.next] = code;
  }
  ring.next = (ring.next + 1) % DEDUP_SIZE;
  return false;
}
