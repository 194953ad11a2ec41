import { SEVERITY_RANK, type RuleId, type Severity, type TimelineDetails } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import type { ElevatorState, HeldRaise } from '../../state/device-state';
import { RULE_SPECS } from '../../alerts/rule-catalog';
import { BACKLOG_GRACE_MS, BACKLOG_MAX_MS, isLate, isTrapped, lateOf, noteClock, pruneLate } from './elevator-state';

/**
 * Late reports (domain.md complaint 3: old events re-fired after a reconnect). A lift terminal that
 * was offline uploads its backlog when it reconnects: a burst of states and events read minutes or
 * hours ago, oldest first. Judged one message at a time, the first old state would fire its timed alert
 * at once and an old event would open a "happening now" alert, although the next message of the burst
 * shows the car long since moved on.
 *
 * A message received more than BACKLOG_GRACE_MS after its reading time is late; it opens (or extends)
 * the terminal's backlog until its receipt + the grace. The backlog ends then, or at once with the
 * first state on time (the terminal has caught up). Meanwhile:
 *  - timed conditions (entrapment, stopped outside a door zone, door held open) do not fire; when they
 *    do, they judge the latest state (elevator-state.ts timedCondition);
 *  - an alert of an instantaneous rule that a later state can show over (alarm button, power lost,
 *    moving with the door open, overspeed) is held, and judged on the latest state when the backlog
 *    ends: still so, it opens as it would have, its reason saying when it was read and how late it was
 *    reported; over, nobody is paged for it, except that a car that moved with its door open or too
 *    fast still needs an inspection: that opens at most high, never critical, saying it is over.
 * Fault events with nothing to clear them (safety circuit, door lock fault, overrun) and door cycling
 * open at once, as on time: they need an inspection whatever came after; their reasons say how late.
 * Replays (an event no newer than the last of its name, a state older than the current one) are
 * dropped before any of this (dispatch.ts, elevator.handler.ts).
 */

type HeldRule = 'elevator.entrapment' | 'elevator.power_lost' | 'elevator.moving_with_door_open' | 'elevator.overspeed';

interface HeldJudge {
  /** The condition is still there in the latest state. */
  holds(st: ElevatorState): boolean;
  /** How the reason says so. */
  still: string;
  /** Over by the end of the backlog: opened anyway as a past fault, at most at this severity. */
  whenOver?: Severity;
}

const JUDGES: Record<HeldRule, HeldJudge> = {
  'elevator.entrapment': { holds: isTrapped, still: 'the car is still stopped with the door closed and somebody inside' },
  'elevator.power_lost': { holds: (st) => st.powerLost === true, still: 'still without mains power' },
  'elevator.moving_with_door_open': { holds: (st) => st.movingOpen === true, still: 'still moving with the door not closed', whenOver: 'high' },
  'elevator.overspeed': { holds: (st) => (st.overspeedLevel ?? 0) > 0, still: 'still above the speed limit', whenOver: 'high' },
};

/** A message from the terminal arrived: a late one opens or extends the backlog. True when late. */
export function noteArrival(k: Kernel, dev: DeviceRuntime, ts: number, at: number): boolean {
  const st = dev.state.elevator;
  if (!st) return false;
  noteClock(st, ts, at);
  k.touch(dev);
  if (!isLate(st, ts, at)) return false;
  openBacklog(k, dev, st, at);
  return true;
}

function openBacklog(k: Kernel, dev: DeviceRuntime, st: ElevatorState, at: number): void {
  const l = lateOf(st);
  if (l.until === undefined) l.from = at;
  // Never past BACKLOG_MAX_MS from its start: the deadline then ends it, and a later late message opens a new one.
  const until = Math.min(at + BACKLOG_GRACE_MS, (l.from ?? at) + BACKLOG_MAX_MS);
  if (l.until !== undefined && l.until >= until) return;
  l.until = until;
  k.touch(dev);
  k.setTimer(dev, 'backlog', until);
}

/**
 * Opens the alert now (on time, the usual path, unchanged), or when the message causing it came late,
 * holds it for the end of the backlog. One held alert per rule: a later one replaces it (the latest
 * episode is what the latest state can confirm), keeping the highest severity seen.
 */
export function raiseOrHold(k: Kernel, dev: DeviceRuntime, rule: HeldRule, ts: number, at: number, reason: string, details: TimelineDetails, severity?: Severity): void {
  const st = dev.state.elevator;
  if (!st || !isLate(st, ts, at)) {
    k.book.raise(dev.owner, dev, rule, at, reason, details, severity);
    return;
  }
  openBacklog(k, dev, st, at);
  const held = (lateOf(st).held ??= {});
  const prev = held[rule];
  let sev = severity ?? RULE_SPECS[rule].severity;
  if (prev && SEVERITY_RANK[prev.severity] > SEVERITY_RANK[sev]) sev = prev.severity;
  held[rule] = { ts, at, reason, details: { ...details }, severity: sev };
  k.touch(dev);
}

/**
 * The backlog is over, by its deadline or because a state arrived on time: every held alert is judged
 * on the latest state. Call after the state is applied.
 */
export function endBacklog(k: Kernel, dev: DeviceRuntime, at: number): void {
  const st = dev.state.elevator;
  const l = st?.late;
  if (!st || !l) return;
  delete l.until;
  k.clearTimer(dev, 'backlog');
  const held = l.held;
  delete l.held;
  pruneLate(st);
  k.touch(dev);
  if (!held) return;
  const t = dev.site.time;
  const latest = st.stateTs !== undefined ? ` (${t.when(st.stateTs, at)})` : '';
  for (const [rule, h] of Object.entries(held) as [RuleId, HeldRaise][]) {
    const judge = JUDGES[rule as HeldRule];
    if (!judge) continue;
    if (judge.holds(st)) {
      k.book.raise(dev.owner, dev, rule, at, `${h.reason}; ${judge.still}${latest}`, h.details, h.severity);
    } else if (judge.whenOver) {
      const sev = SEVERITY_RANK[h.severity] > SEVERITY_RANK[judge.whenOver] ? judge.whenOver : h.severity;
      k.book.raise(dev.owner, dev, rule, at, `${h.reason}; over in the latest state${latest}`, h.details, sev);
    }
  }
}

/**
 * Closes the backlog before a state on time is applied, so that the timed conditions it re-arms no
 * longer wait for it; endBacklog judges the held alerts once the state is in. True when one was open.
 */
export function caughtUp(k: Kernel, dev: DeviceRuntime): boolean {
  const l = dev.state.elevator?.late;
  if (l?.until === undefined) return false;
  delete l.until;
  k.clearTimer(dev, 'backlog');
  k.touch(dev);
  return true;
}
