import type { TFunction } from 'i18next';
import { isRuleId, OUTCOMES, TIMELINE_ACTIONS, type Outcome, type TimelineAction } from '@hearthbeat/contracts';

/** Rules, outcomes and timeline steps by name; an id this build does not know is shown as it is. */
export function ruleLabel(t: TFunction, rule: string): string {
  return isRuleId(rule) ? t(`rule.${rule}`) : rule;
}

export function isOutcome(v: unknown): v is Outcome {
  return typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);
}

export function outcomeLabel(t: TFunction, outcome: string): string {
  return isOutcome(outcome) ? t(`outcome.${outcome}`) : outcome;
}

function isTimelineAction(v: string): v is TimelineAction {
  return (TIMELINE_ACTIONS as readonly string[]).includes(v);
}

export function timelineLabel(t: TFunction, action: string): string {
  return isTimelineAction(action) ? t(`timeline.${action}`) : action;
}

/** `system` and `call` are actors of the rules core, the rest are user ids. */
export function actorLabel(t: TFunction, by: string): string {
  return by === 'system' ? t('alerts.system') : by;
}
