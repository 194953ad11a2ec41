import type { ElevatorMode } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import type { ElevatorState, LateReports } from '../../state/device-state';
import { formatDuration } from '../../time/site-time';

/** Modes in which a technician works the car: passenger-facing rules stay quiet. */
export function inService(mode: ElevatorMode | undefined): boolean {
  return mode !== 'inspection' && mode !== 'maintenance';
}

export function isStopped(st: ElevatorState): boolean {
  return st.direction === 'stopped';
}

/** The entrapment condition: stopped, door closed, somebody inside, in passenger service. */
export function isTrapped(st: ElevatorState): boolean {
  return isStopped(st) && st.door === 'closed' && st.occupied === true && inService(st.mode);
}

export function where(st: ElevatorState): string {
  return `floor ${st.floor ?? '?'}${st.doorZone ? '' : ', outside a door zone'}`;
}

/**
 * A message received more than this after its reading time (beyond the terminal's usual clock lag,
 * noteClock) is late: part of a backlog that the
 * terminal uploads after a reconnect. Lift rules wait this long after the latest late message for the
 * rest of the backlog before deciding anything on it (late-reports.ts). Every further late message
 * extends the wait, so it only has to cover the gap between two messages of a burst (QoS 1 drains in
 * milliseconds per message), and it stays above the network delay of a terminal reporting live
 * (4G/wired: up to ~2 s), whose timing it leaves exactly as it was.
 */
export const BACKLOG_GRACE_MS = 5_000;
/**
 * A backlog ends at the latest this long after it began, whatever keeps arriving: a terminal whose clock
 * lags by more than the grace looks late on every message until its lag is learned (noteClock), or
 * for good if its lag wanders, and its held alerts (a car moving with the door open) must not wait for
 * it to fall silent.
 */
export const BACKLOG_MAX_MS = 60_000;

/**
 * A terminal's clock that lags (or runs ahead) makes every message look late (or early) by the same
 * amount. Judged by windows of CLOCK_WINDOW_MS: one with at least CLOCK_MIN_SAMPLES messages whose lags
 * all lie within BACKLOG_GRACE_MS of each other is a steady clock, and its least lag becomes the
 * terminal's usual lag; a backlog is never steady (its lags fall from hours to nothing as it drains),
 * so it teaches nothing. A lag below the usual one is taken at once (the clock was set right): that
 * only ever makes messages look later, never hides a backlog.
 */
export const CLOCK_WINDOW_MS = 10 * 60_000;
export const CLOCK_MIN_SAMPLES = 5;

/** Learns the terminal's clock lag from a message (before judging whether it is late). */
export function noteClock(st: ElevatorState, ts: number, at: number): void {
  const lag = at - ts;
  const c = (st.clock ??= { lagMs: 0, from: at, n: 0, lo: lag, hi: lag });
  if (at - c.from >= CLOCK_WINDOW_MS) {
    if (c.n >= CLOCK_MIN_SAMPLES && c.hi - c.lo <= BACKLOG_GRACE_MS) c.lagMs = c.lo;
    c.from = at;
    c.n = 0;
    c.lo = lag;
    c.hi = lag;
  }
  c.n++;
  if (lag < c.lo) c.lo = lag;
  if (lag > c.hi) c.hi = lag;
  if (lag < c.lagMs) c.lagMs = lag;
}

/** How much later than the terminal usually reports a message arrived (its clock lag taken out). */
export function lateBy(st: ElevatorState | undefined, ts: number, at: number): number {
  return at - ts - (st?.clock?.lagMs ?? 0);
}

export function isLate(st: ElevatorState | undefined, ts: number, at: number): boolean {
  return lateBy(st, ts, at) > BACKLOG_GRACE_MS;
}

/** ", reported 10 min late" for a late message; "" for one on time. */
export function lateNote(st: ElevatorState | undefined, ts: number, at: number): string {
  return isLate(st, ts, at) ? `, reported ${formatDuration(lateBy(st, ts, at))} late` : '';
}

/** The device's late-report record, created on demand. */
export function lateOf(st: ElevatorState): LateReports {
  return (st.late ??= {});
}

/** Drops the late-report record once nothing is left in it (the usual case: a terminal on time). */
export function pruneLate(st: ElevatorState): void {
  const l = st.late;
  if (!l) return;
  if (l.started && Object.keys(l.started).length === 0) delete l.started;
  if (l.held && Object.keys(l.held).length === 0) delete l.held;
  if (l.until === undefined) delete l.from;
  if (l.until === undefined && !l.started && !l.held) delete st.late;
}

type SinceField = 'trapSince' | 'outsideSince' | 'doorOpenSince';
type StateTimer = 'entrapment' | 'outsideZone' | 'doorHeld';

/**
 * When a timed condition's deadline rings: afterMs after it began (reading time), but never before the
 * message that set it (a state read long ago must not fire in the past) nor while a backlog is still
 * arriving (its next state may show the car long since moved on).
 */
function timedDue(st: ElevatorState, readingDue: number, at: number): number {
  return Math.max(readingDue, at, st.late?.until ?? Number.NEGATIVE_INFINITY);
}

/**
 * A condition of the car that must last afterMs before it means something. The deadline is set when
 * the condition starts (reading time) and cancelled when it ends, so it fires with no further message;
 * it fires once per episode, on the latest state. `afterMs` may change while pending (entrapment: door
 * zone or not). A condition started by a late state waits for the end of the backlog (timedDue), and
 * remembers when it was heard of for the alert's reason (sinceText).
 */
export function timedCondition(
  k: Kernel,
  dev: DeviceRuntime,
  timer: StateTimer,
  field: SinceField,
  holds: boolean,
  ts: number,
  at: number,
  afterMs: number,
  onEnd: (since: number) => void,
): void {
  const st = dev.state.elevator;
  if (!st) return;
  const since = st[field];
  if (holds) {
    if (since === undefined) {
      st[field] = ts;
      if (isLate(st, ts, at)) (lateOf(st).started ??= {})[field] = at;
      k.touch(dev);
      k.setTimer(dev, timer, timedDue(st, ts + afterMs, at));
    } else if (dev.state.due[timer] !== undefined) {
      k.setTimer(dev, timer, timedDue(st, since + afterMs, at));
    }
  } else if (since !== undefined) {
    delete st[field];
    if (st.late?.started?.[field] !== undefined) {
      delete st.late.started[field];
      pruneLate(st);
    }
    k.touch(dev);
    k.clearTimer(dev, timer);
    onEnd(since);
  }
}

/**
 * A timed deadline that rings while the backlog is still arriving (a late event extended it after the
 * last state) waits for its end; true when it was put off.
 */
export function waitForBacklog(k: Kernel, dev: DeviceRuntime, timer: StateTimer, at: number): boolean {
  const until = dev.state.elevator?.late?.until;
  if (until === undefined || until <= at) return false;
  k.setTimer(dev, timer, until);
  return true;
}

/** "00:00" when the condition began, with ", reported 9 min late" when a late state told of it. */
export function sinceText(dev: DeviceRuntime, field: SinceField, at: number): string {
  const st = dev.state.elevator;
  const since = st?.[field];
  if (since === undefined) return '?';
  const heard = st?.late?.started?.[field];
  const when = dev.site.time.when(since, at);
  return heard === undefined ? when : `${when}, reported ${formatDuration(heard - since)} late`;
}
