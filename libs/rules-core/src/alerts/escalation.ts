import { SYSTEM_ACTOR, type Alert } from '@hearthbeat/contracts';
import type { Kernel } from '../core/kernel';
import type { AlertRuntime } from '../core/runtime';
import type { AlertBook } from './alert-book';
import { inCallPhase } from './check-in-call';

/** Tiers count from the opening, the re-opening, or the end of a check-in call phase (whichever is latest). */
export function escalationAnchor(a: Alert): number {
  return a.escalationFrom ?? a.reopenedAt ?? a.openedAt;
}

/**
 * Escalation of unacknowledged alerts (domain.md: "Unacknowledged alerts escalate to the next tier",
 * complaint 6: "no reminders or escalation until acknowledged"). Deadline-driven: the next tier and the
 * next reminder are timers on the alert (persisted as nextEscalationAt / nextReminderAt), so they fire
 * without any further message and survive a restart. Tiers count from the opening (or re-opening);
 * acknowledging, resolving or a cleared device condition stops both. While a check-in call to the
 * resident is awaited, both are held: the call is the first step of the chain (check-in-call.ts).
 */
export class Escalation {
  constructor(
    private readonly k: Kernel,
    private readonly book: AlertBook,
  ) {}

  /** (Re)arms the next tier and the reminders of an open alert. */
  start(ar: AlertRuntime, now: number): void {
    const a = ar.alert;
    const site = ar.site;
    if (a.state !== 'open' || a.autoClearAt !== undefined || !site || inCallPhase(a)) {
      this.stop(ar);
      return;
    }
    const level = site.escalation[a.severity];
    const tier = level.tiers[a.escalationLevel];
    const anchor = escalationAnchor(a);
    if (tier) this.k.setTimer(ar, 'escalate', Math.max(now, anchor + tier.afterS * 1000));
    else this.k.clearTimer(ar, 'escalate');
    if (level.reminderEveryS > 0) this.k.setTimer(ar, 'remind', Math.max(now, anchor) + level.reminderEveryS * 1000);
    else this.k.clearTimer(ar, 'remind');
  }

  stop(ar: AlertRuntime): void {
    this.k.clearTimer(ar, 'escalate');
    this.k.clearTimer(ar, 'remind');
  }

  onEscalate(ar: AlertRuntime, at: number): void {
    const a = ar.alert;
    if (a.state !== 'open' || !ar.site) return;
    const tiers = ar.site.escalation[a.severity].tiers;
    const tier = tiers[a.escalationLevel];
    if (!tier) return;
    a.escalationLevel += 1;
    this.book.append(ar, at, SYSTEM_ACTOR, 'escalated', `not acknowledged after ${Math.round(tier.afterS / 60)} min: escalated to ${tier.target}`, {
      level: a.escalationLevel,
      target: tier.target,
    });
    const next = tiers[a.escalationLevel];
    if (next) this.k.setTimer(ar, 'escalate', Math.max(at, escalationAnchor(a) + next.afterS * 1000));
    this.book.changed(ar, 'escalated', at, tier.target);
    if (ar.risk) this.k.risk.recompute(ar.risk, at);
  }

  onRemind(ar: AlertRuntime, at: number): void {
    const a = ar.alert;
    if (a.state !== 'open' || !ar.site) return;
    const level = ar.site.escalation[a.severity];
    if (level.reminderEveryS <= 0) return;
    const tier = a.escalationLevel > 0 ? level.tiers[a.escalationLevel - 1] : undefined;
    const target = tier?.target ?? 'staff';
    this.book.append(ar, at, SYSTEM_ACTOR, 'reminder', 'still not acknowledged', { level: a.escalationLevel, target });
    // Reminders are for people now: after a gap in time (a host suspended for a day, a clock set forward)
    // the ones missed meanwhile are this one reminder, not a storm of one per interval. The next is the
    // first interval boundary after the time the core is being advanced to.
    const every = level.reminderEveryS * 1000;
    const behind = Math.max(0, this.k.horizon - at);
    this.k.setTimer(ar, 'remind', at + every * (Math.floor(behind / every) + 1));
    this.book.changed(ar, 'reminder', at, target);
  }
}
