import { RISK_COLOURS, SEVERITY_RANK, type RiskColour, type Severity } from '@hearthbeat/contracts';

/**
 * The five-colour risk level of a subject (domain.md "Five-colour risk levels"), before hysteresis:
 *   red     an open critical alert, or an open high alert that has escalated
 *   orange  an open high alert, or an open medium alert that has escalated
 *   yellow  an open medium alert, or in the history window: a high/critical alert or 3+ alerts
 *   blue    an open low alert, or any alert in the history window
 *   green   nothing open, nothing recent
 * "Open" means not resolved (acknowledged alerts still count: somebody is on it, it is not over).
 */
export interface OpenAlertFacts {
  severity: Severity;
  escalationLevel: number;
}

export function colourIndex(open: Iterable<OpenAlertFacts>, historyCount: number, historyMaxRank: number): number {
  let level = 0;
  for (const a of open) {
    const r = SEVERITY_RANK[a.severity];
    const esc = a.escalationLevel > 0;
    const c = r === 3 ? 4 : r === 2 ? (esc ? 4 : 3) : r === 1 ? (esc ? 3 : 2) : 1;
    if (c > level) level = c;
  }
  if (historyCount > 0 && level < 1) level = 1;
  if ((historyMaxRank >= SEVERITY_RANK.high || historyCount >= 3) && level < 2) level = 2;
  return level;
}

export function colourAt(index: number): RiskColour {
  return RISK_COLOURS[Math.max(0, Math.min(RISK_COLOURS.length - 1, index))] as RiskColour;
}

/**
 * Hysteresis: the colour rises at once to the raw level; when the raw level is lower, it steps down
 * one colour per `stepDownMs`, the clock starting when the alerts stopped supporting the colour.
 */
export function stepColour(
  current: number,
  raw: number,
  holdFrom: number | undefined,
  now: number,
  stepDownMs: number,
): { index: number; holdFrom: number | undefined } {
  if (raw >= current) return { index: raw, holdFrom: undefined };
  const from = holdFrom ?? now;
  if (now - from >= stepDownMs) {
    const index = current - 1;
    return { index, holdFrom: index > raw ? now : undefined };
  }
  return { index: current, holdFrom: from };
}
