import type { Alert } from '@hearthbeat/contracts';

/** An alert without its timeline: what lists, live pushes and webhooks carry (the detail has the timeline). */
export type AlertSummary = Omit<Alert, 'timeline'>;

export function alertSummary(alert: Alert): AlertSummary {
  const { timeline: _timeline, ...rest } = alert;
  return rest;
}
