import { RISK_RANK, SEVERITY_RANK, type RiskColour } from '@hearthbeat/contracts';
import type { AlertView } from '../api/schemas';

/**
 * Most urgent first: severity; then alerts nobody has acknowledged yet (domain.md complaint 6: an alert
 * that is being handled is less urgent than one nobody has picked up); then the subject's risk colour
 * (a red home before a yellow one); then age, oldest first (it has waited longest).
 */
export function compareUrgency(colourOf: (a: AlertView) => RiskColour | undefined) {
  return (a: AlertView, b: AlertView): number =>
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    stateRank(a) - stateRank(b) ||
    RISK_RANK[colourOf(b) ?? 'green'] - RISK_RANK[colourOf(a) ?? 'green'] ||
    since(a) - since(b) ||
    a.id.localeCompare(b.id);
}

const stateRank = (a: AlertView) => (a.state === 'open' ? 0 : a.state === 'acknowledged' ? 1 : 2);
/** A re-opened alert counts from its re-opening, as escalation does. */
const since = (a: AlertView) => a.reopenedAt ?? a.openedAt;

/** Recently resolved first. */
export function compareResolved(a: AlertView, b: AlertView): number {
  return (b.resolvedAt ?? b.lastSeenAt) - (a.resolvedAt ?? a.lastSeenAt) || a.id.localeCompare(b.id);
}
