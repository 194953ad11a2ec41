import type { AlertFileLine } from '@hearthbeat/contracts';
import type { AlertEvent } from './core-events';

/**
 * The backtest's alert file (protocol.md, "Alerts written by a backtest, one state change a line"):
 * the line for an alert event that changed the alert's state (opened, acknowledged, resolved,
 * re-opened), undefined for the others (updates, comments, escalations, reminders).
 */
export function alertFileLineOf(ev: AlertEvent): AlertFileLine | undefined {
  if (ev.change !== 'opened' && ev.change !== 'acknowledged' && ev.change !== 'resolved' && ev.change !== 'reopened') return undefined;
  const a = ev.alert;
  const line: AlertFileLine = { t: ev.at, alertId: a.id, rule: a.rule, state: a.state, severity: a.severity, subject: { ...a.subject }, reason: a.reason };
  if (a.deviceId !== undefined) line.deviceId = a.deviceId;
  if (a.outcome !== undefined) line.outcome = a.outcome;
  return line;
}
