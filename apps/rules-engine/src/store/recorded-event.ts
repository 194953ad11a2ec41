import type { Alert } from '@hearthbeat/contracts';
import type { AlertEvent, CoreEvent } from '@hearthbeat/rules-core';
import { alertSummary, escalationTargets, type AlertSummary } from '../alerts/alert.view';

/**
 * An alert event as the events table keeps it: the alert without its timeline (the `entry` just appended
 * is in the event; the alerts table and GET /api/alerts/{id} have the whole timeline), and the roles it
 * had been escalated to by then (who else may see it on a replay). Storing the timeline with every event
 * made a busy alert's rows grow with each entry: a day of an unacknowledged alarm's 2-min reminders
 * wrote its timeline 720 times over. Rows written before still carry `timeline` (and no `escalatedTo`);
 * readers take the summary either way. A live event (CoreEvent) is one of these too.
 */
export type RecordedAlertEvent = Omit<AlertEvent, 'alert'> & { alert: AlertSummary & Partial<Pick<Alert, 'timeline'>>; escalatedTo?: string[] };
export type RecordedEvent = Exclude<CoreEvent, AlertEvent> | RecordedAlertEvent;

/** An event with its sequence number in the events table (live from the driver, or read back). */
export interface SeqEvent {
  seq: number;
  event: RecordedEvent;
}

/** What the events table stores for an event. */
export function recorded(e: CoreEvent): RecordedEvent {
  if (e.type !== 'alert') return e;
  const to = escalationTargets(e.alert.timeline);
  return { ...e, alert: alertSummary(e.alert), ...(to.length > 0 ? { escalatedTo: to } : {}) };
}

/** The roles a recorded (or live) alert event's alert had been escalated to. */
export function escalatedTo(e: RecordedAlertEvent): readonly string[] {
  return e.alert.timeline ? escalationTargets(e.alert.timeline) : (e.escalatedTo ?? []);
}
