import type { AlertEvent } from '@hearthbeat/rules-core';
import { alertSummary, type AlertSummary } from '../alerts/alert.view';
import type { RecordedAlertEvent } from '../store/recorded-event';

/** The JSON a webhook receives for one alert change (docs/api.md, "Webhooks"). */
export interface WebhookPayload {
  /** Delivery id, stable across retries (`<webhookId>-<seq>`): receivers drop ids they have seen. */
  id: string;
  webhookId: string;
  site: string;
  /** The event's sequence number: increases with every change, so receivers can also spot reordering. */
  seq: number;
  type: 'alert';
  change: AlertEvent['change'];
  at: number;
  target?: string;
  alert: AlertSummary;
  entry: AlertEvent['entry'];
}

export function deliveryId(webhookId: string, seq: number): string {
  return `${webhookId}-${seq}`;
}

export function webhookPayload(webhookId: string, seq: number, e: RecordedAlertEvent): WebhookPayload {
  const p: WebhookPayload = { id: deliveryId(webhookId, seq), webhookId, site: e.alert.site, seq, type: 'alert', change: e.change, at: e.at, alert: alertSummary(e.alert), entry: e.entry };
  if (e.target !== undefined) p.target = e.target;
  return p;
}
