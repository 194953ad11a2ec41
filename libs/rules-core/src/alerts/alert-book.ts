import {
  OUTCOMES,
  SEVERITY_RANK,
  SYSTEM_ACTOR,
  CALL_ACTOR,
  type Alert,
  type AlertChange,
  type Outcome,
  type RuleId,
  type Severity,
  type TimelineAction,
  type TimelineDetails,
  type TimelineEntry,
} from '@hearthbeat/contracts';
import { AlertNotFoundError, InvalidInputError, InvalidOutcomeError, InvalidTransitionError, SafetyAlertNeedsPersonError } from '../errors';
import { alertView, type Kernel } from '../core/kernel';
import { AlertRuntime, alertKey, type DeviceRuntime, type SubjectRuntime } from '../core/runtime';
import { RULE_SPECS } from './rule-catalog';
import { Escalation } from './escalation';
import { CheckInCalls } from './check-in-call';

const MAX_TEXT = 2000;

/**
 * The alert lifecycle (domain.md "Staff workflow after an alert"): one alert per (subject, rule) that
 * is not resolved; repeats add to it; open -> acknowledged -> resolved; safety alerts close only by a
 * person; device alerts resolve themselves once their condition has stayed clear for cooldownS; a
 * re-trigger within cooldownS of a resolution re-opens the same alert (flapping, complaint 5).
 */
export class AlertBook {
  readonly escalation: Escalation;
  readonly calls: CheckInCalls;

  constructor(private readonly k: Kernel) {
    this.escalation = new Escalation(k, this);
    this.calls = new CheckInCalls(k, this);
  }

  /** The alert a (subject, rule, device) trigger would land on. */
  keyFor(owner: SubjectRuntime, dev: DeviceRuntime | undefined, rule: RuleId): string {
    const spec = RULE_SPECS[rule];
    const subject = spec.deviceSubject && dev ? dev.ref : owner.ref;
    return alertKey(subject, rule, spec.perDevice && dev ? dev.id : undefined);
  }

  /** The latest alert of the key while it is not resolved. */
  current(owner: SubjectRuntime, dev: DeviceRuntime | undefined, rule: RuleId): AlertRuntime | undefined {
    const ar = this.k.byKey.get(this.keyFor(owner, dev, rule));
    return ar && ar.alert.state !== 'resolved' ? ar : undefined;
  }

  /** A rule's condition holds: open an alert, add to the open one, or re-open within the cooldown. */
  raise(owner: SubjectRuntime, dev: DeviceRuntime | undefined, rule: RuleId, at: number, reason: string, details?: TimelineDetails, severity?: Severity): void {
    const params = owner.params[rule];
    if (!params.enabled) return;
    const spec = RULE_SPECS[rule];
    const sev = severity ?? spec.severity;
    const key = this.keyFor(owner, dev, rule);
    const existing = this.k.byKey.get(key);
    if (existing) {
      const a = existing.alert;
      if (a.state !== 'resolved') return this.repeat(existing, at, reason, details, sev);
      if (a.resolvedAt !== undefined && at < a.resolvedAt + params.cooldownS * 1000) return this.reopen(existing, at, reason, details, sev);
    }
    this.open(owner, dev, rule, key, at, reason, details, sev);
  }

  /** Adds a note to the key's unresolved alert, if any (e.g. "water use resumed"). */
  evidence(owner: SubjectRuntime, dev: DeviceRuntime | undefined, rule: RuleId, at: number, note: string, details?: TimelineDetails): void {
    const ar = this.current(owner, dev, rule);
    if (!ar) return;
    this.append(ar, at, SYSTEM_ACTOR, 'evidence', note, details);
    this.changed(ar, 'updated', at);
  }

  /** The condition behind the key's alert no longer holds. */
  cleared(owner: SubjectRuntime, dev: DeviceRuntime | undefined, rule: RuleId, at: number, note: string): void {
    const ar = this.current(owner, dev, rule);
    if (!ar) return;
    const spec = RULE_SPECS[rule];
    if (!spec.autoClear) {
      // Safety alerts (and faults that need an inspection) wait for a person; the timeline says why.
      this.append(ar, at, SYSTEM_ACTOR, 'condition_cleared', note, { resolvesBy: 'person' });
      this.changed(ar, 'updated', at);
      return;
    }
    if (ar.alert.autoClearAt !== undefined) return;
    const cooldownMs = owner.params[rule].cooldownS * 1000;
    if (cooldownMs <= 0) {
      this.append(ar, at, SYSTEM_ACTOR, 'condition_cleared', note);
      this.close(ar, at, 'auto_cleared', SYSTEM_ACTOR, 'condition cleared');
      return;
    }
    this.append(ar, at, SYSTEM_ACTOR, 'condition_cleared', note, { autoClearAt: at + cooldownMs });
    this.k.setTimer(ar, 'clear', at + cooldownMs);
    this.escalation.stop(ar);
    this.changed(ar, 'updated', at);
  }

  /** The hold-off after a cleared condition passed without a relapse. */
  onClearTimer(ar: AlertRuntime, at: number): void {
    if (ar.alert.state === 'resolved') return;
    this.close(ar, at, 'auto_cleared', SYSTEM_ACTOR, 'condition stayed clear through the cooldown');
  }

  // ---- staff actions ------------------------------------------------------------------------

  get(id: string): AlertRuntime {
    const ar = this.k.alerts.get(id);
    if (!ar) throw new AlertNotFoundError(id);
    return ar;
  }

  acknowledge(id: string, by: string, at: number): void {
    const ar = this.get(id);
    actor(by);
    const a = ar.alert;
    if (a.state === 'resolved') throw new InvalidTransitionError(id, a.state, 'acknowledge');
    if (a.state === 'acknowledged') return; // idempotent: two screens acknowledging at once
    this.ack(ar, by, at);
    this.changed(ar, 'acknowledged', at);
  }

  assign(id: string, assignee: string, by: string, at: number): void {
    const ar = this.get(id);
    actor(by);
    text(assignee, 'assignee', 64);
    const a = ar.alert;
    if (a.state === 'resolved') throw new InvalidTransitionError(id, a.state, 'assign');
    if (a.state === 'open') {
      // Assigning is handling: it acknowledges too, which stops escalation.
      this.ack(ar, by, at);
      this.changed(ar, 'acknowledged', at);
    }
    a.assignee = assignee;
    this.append(ar, at, by, 'assigned', undefined, { assignee });
    this.changed(ar, 'assigned', at);
  }

  comment(id: string, body: string, by: string, at: number): void {
    const ar = this.get(id);
    actor(by);
    text(body, 'comment', MAX_TEXT);
    this.append(ar, at, by, 'commented', body);
    this.changed(ar, 'commented', at);
  }

  resolve(id: string, outcome: Outcome, note: string, by: string, at: number): void {
    const ar = this.get(id);
    actor(by);
    if (!(OUTCOMES as readonly string[]).includes(outcome)) throw new InvalidOutcomeError(outcome);
    if (typeof note !== 'string' || note.length > MAX_TEXT) throw new InvalidInputError(`note must be a string of at most ${MAX_TEXT} characters`);
    const a = ar.alert;
    if (a.state === 'resolved') throw new InvalidTransitionError(id, a.state, 'resolve');
    if (RULE_SPECS[a.rule].safety && (outcome === 'auto_cleared' || by === SYSTEM_ACTOR || by === CALL_ACTOR)) {
      throw new SafetyAlertNeedsPersonError(id, a.rule);
    }
    this.close(ar, at, outcome, by, note);
  }

  /**
   * A person reports being at the door (or at the lift): the time that response-time accounting and the
   * entrapment target measure. Arriving is handling, so an open alert is acknowledged first. The same
   * person reporting twice in an episode (a double tap) is a no-op; a second person adds an entry.
   */
  onSite(id: string, by: string, at: number, note?: string): void {
    const ar = this.get(id);
    actor(by);
    if (note !== undefined && (typeof note !== 'string' || note.length > MAX_TEXT)) throw new InvalidInputError(`note must be a string of at most ${MAX_TEXT} characters`);
    const a = ar.alert;
    if (a.state === 'resolved') throw new InvalidTransitionError(id, a.state, 'report being on site');
    const since = a.reopenedAt ?? a.openedAt;
    if (a.timeline.some((e) => e.action === 'on_site' && e.by === by && e.at >= since)) return;
    if (a.state === 'open') {
      this.ack(ar, by, at);
      this.changed(ar, 'acknowledged', at);
    }
    if (a.onSiteAt === undefined) {
      a.onSiteAt = at;
      a.onSiteBy = by;
    }
    this.append(ar, at, by, 'on_site', note || undefined);
    this.changed(ar, 'on_site', at);
  }

  /**
   * The one way a safety alert closes without a person: the resident themself confirmed on the site's
   * configured check-in call that they are well (check-in-call.ts). Recorded as by `call`, outcome `safe`.
   */
  resolveByCall(ar: AlertRuntime, at: number, note: string): void {
    if (ar.alert.state === 'resolved') return;
    this.close(ar, at, 'safe', CALL_ACTOR, note);
  }

  /** Resolves as a false alarm and records that this was normal for the subject (learned routines). */
  markNormal(id: string, note: string, by: string, at: number): AlertRuntime {
    const ar = this.get(id);
    actor(by);
    if (ar.alert.state === 'resolved') throw new InvalidTransitionError(id, 'resolved', 'mark as normal');
    this.append(ar, at, by, 'marked_normal', note || undefined);
    this.close(ar, at, 'false_alarm', by, note);
    return ar;
  }

  // ---- internals ----------------------------------------------------------------------------

  private open(owner: SubjectRuntime, dev: DeviceRuntime | undefined, rule: RuleId, key: string, at: number, reason: string, details: TimelineDetails | undefined, severity: Severity): void {
    const spec = RULE_SPECS[rule];
    const a: Alert = {
      id: this.k.nextAlertId(),
      rule,
      state: 'open',
      severity,
      subject: spec.deviceSubject && dev ? dev.ref : owner.ref,
      site: owner.site.id,
      openedAt: at,
      lastSeenAt: at,
      count: 1,
      reason,
      escalationLevel: 0,
      timeline: [],
    };
    if (dev) a.deviceId = dev.id;
    const ar = new AlertRuntime(a, key, owner, owner.site);
    this.k.alerts.set(a.id, ar);
    this.k.byKey.set(key, ar);
    this.append(ar, at, SYSTEM_ACTOR, 'opened', reason, details);
    owner.openAlerts.add(ar);
    this.k.risk.noteOpened(owner, at, severity);
    const calling = this.calls.applies(ar);
    if (!calling) this.escalation.start(ar, at);
    this.changed(ar, 'opened', at);
    if (calling) this.calls.place(ar, at, 'resident');
    this.k.risk.recompute(owner, at);
  }

  private repeat(ar: AlertRuntime, at: number, reason: string, details: TimelineDetails | undefined, severity: Severity): void {
    const a = ar.alert;
    a.count += 1;
    if (at > a.lastSeenAt) a.lastSeenAt = at;
    a.reason = reason;
    this.append(ar, at, SYSTEM_ACTOR, 'triggered', reason, { count: a.count, ...details });
    let restart = false;
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[a.severity]) {
      this.noteSeverity(ar, at, severity);
      restart = true;
    }
    if (a.autoClearAt !== undefined) {
      // A relapse during the hold-off: the alert stays one alert and escalation resumes.
      this.k.clearTimer(ar, 'clear');
      restart = true;
    }
    if (restart) this.escalation.start(ar, at);
    this.changed(ar, 'updated', at);
    if (restart && ar.risk) this.k.risk.recompute(ar.risk, at);
  }

  /**
   * Something made an open alert more urgent than it was raised (a resident asking for help on a check-in
   * call): its severity goes up, never down, and the tiers of the higher severity start now.
   */
  raiseSeverity(ar: AlertRuntime, at: number, severity: Severity, note: string, details?: TimelineDetails): void {
    const a = ar.alert;
    if (a.state === 'resolved' || SEVERITY_RANK[severity] <= SEVERITY_RANK[a.severity]) return;
    this.noteSeverity(ar, at, severity, note, details);
    this.escalation.start(ar, at);
    this.changed(ar, 'updated', at);
    if (ar.risk) this.k.risk.recompute(ar.risk, at);
  }

  private noteSeverity(ar: AlertRuntime, at: number, severity: Severity, note?: string, details?: TimelineDetails): void {
    const a = ar.alert;
    this.append(ar, at, SYSTEM_ACTOR, 'severity_raised', note, { ...details, from: a.severity, to: severity });
    a.severity = severity;
  }

  private reopen(ar: AlertRuntime, at: number, reason: string, details: TimelineDetails | undefined, severity: Severity): void {
    const a = ar.alert;
    a.state = 'open';
    a.count += 1;
    a.lastSeenAt = at;
    a.reopenedAt = at;
    a.reason = reason;
    a.severity = severity;
    a.escalationLevel = 0;
    delete a.resolvedAt;
    delete a.resolvedBy;
    delete a.outcome;
    delete a.acknowledgedAt;
    delete a.acknowledgedBy;
    // A new episode: its own on-site report and call phase.
    delete a.onSiteAt;
    delete a.onSiteBy;
    delete a.escalationFrom;
    this.append(ar, at, SYSTEM_ACTOR, 'reopened', reason, { count: a.count, ...details });
    if (ar.risk) {
      ar.risk.openAlerts.add(ar);
      this.k.risk.noteOpened(ar.risk, at, severity);
    }
    const calling = this.calls.applies(ar);
    if (!calling) this.escalation.start(ar, at);
    this.changed(ar, 'reopened', at);
    if (calling) this.calls.place(ar, at, 'resident');
    if (ar.risk) this.k.risk.recompute(ar.risk, at);
  }

  private ack(ar: AlertRuntime, by: string, at: number): void {
    const a = ar.alert;
    a.state = 'acknowledged';
    a.acknowledgedAt = at;
    a.acknowledgedBy = by;
    this.append(ar, at, by, 'acknowledged');
    this.escalation.stop(ar);
  }

  private close(ar: AlertRuntime, at: number, outcome: Outcome, by: string, note: string): void {
    const a = ar.alert;
    a.state = 'resolved';
    a.resolvedAt = at;
    a.resolvedBy = by;
    a.outcome = outcome;
    this.escalation.stop(ar);
    this.k.clearTimer(ar, 'clear');
    // An awaited call is no longer awaited: a result arriving later is recorded as late, never acted on.
    this.k.clearTimer(ar, 'call');
    this.append(ar, at, by, 'resolved', note || undefined, { outcome });
    this.k.resolvedFifo.push(ar);
    this.changed(ar, 'resolved', at);
    if (ar.risk) {
      ar.risk.openAlerts.delete(ar);
      this.k.risk.recompute(ar.risk, at);
    }
  }

  append(ar: AlertRuntime, at: number, by: string, action: TimelineAction, note?: string, details?: TimelineDetails): TimelineEntry {
    const tl = ar.alert.timeline;
    const e: TimelineEntry = Object.freeze({
      n: tl.length,
      at,
      by,
      action,
      ...(note !== undefined ? { note } : {}),
      ...(details !== undefined ? { details: Object.freeze({ ...details }) } : {}),
    });
    tl.push(e);
    return e;
  }

  /** Emits the alert change (with the entry just appended) and marks the alert for persistence. */
  changed(ar: AlertRuntime, change: AlertChange, at: number, target?: string): void {
    this.k.touch(ar);
    const tl = ar.alert.timeline;
    const entry = tl[tl.length - 1] as TimelineEntry;
    this.k.emit({ type: 'alert', change, at, alert: alertView(ar.alert), entry, ...(target !== undefined ? { target } : {}) });
  }
}

function actor(by: string): void {
  text(by, 'by', 64);
}

function text(value: string, field: string, max: number): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new InvalidInputError(`${field} must be a non-empty string of at most ${max} characters`);
  }
}
