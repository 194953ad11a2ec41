import type { Alert, TimelineEntry } from '@hearthbeat/contracts';

/** An alert without its timeline: what lists, live pushes, webhooks and the events table carry (the detail has the timeline). */
export type AlertSummary = Omit<Alert, 'timeline'>;

/** The alert without its timeline (a summary is returned as it is). */
export function alertSummary(alert: AlertSummary & { timeline?: unknown }): AlertSummary {
  if (!('timeline' in alert)) return alert;
  const { timeline: _timeline, ...rest } = alert;
  return rest;
}

/** The roles an alert has been escalated to (they may see it whatever the kind of its subject). */
export function escalationTargets(timeline: readonly TimelineEntry[]): string[] {
  const roles = new Set<string>();
  for (const e of timeline) {
    const target = e.details?.['target'];
    if (e.action === 'escalated' && typeof target === 'string') roles.add(target);
  }
  return [...roles];
}
