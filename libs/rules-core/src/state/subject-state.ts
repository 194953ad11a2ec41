import type { AwayPeriod, RiskColour } from '@hearthbeat/contracts';
import type { RoutineState } from '../rules/water/routine/routine-state';

export const SUBJECT_TIMERS = ['awayEnd', 'returnDue', 'risk', 'routine'] as const;
export type SubjectTimerName = (typeof SUBJECT_TIMERS)[number];

/** An away period as the core keeps it: registry ones are re-synced on every registry update. */
export interface AwayEntry extends AwayPeriod {
  id: string;
  source: 'registry' | 'api';
  by?: string;
  /** Set once the end has been handled (expiry or endAway). */
  ended?: boolean;
}

/**
 * Per-subject (resident or elevator) state: plain JSON, one row per subject. Pending deadlines in `due`.
 */
export interface SubjectState {
  type: 'resident' | 'elevator';
  id: string;
  /** holdFrom: since when the alerts no longer support the colour (the step-down clock). */
  risk: { colour: RiskColour; changedAt: number; holdFrom?: number };
  /** Alerts opened recently: [openedAt, severityRank, ...], pruned to the risk history window. */
  history: number[];
  away: AwayEntry[];
  /** An away period ended and no water has run since. */
  awaitingReturn?: { since: number; awayId: string };
  /** No-activity windows never reach back before this (the end of the latest away period). */
  watchFrom?: number;
  /** Residents with a water meter: the learned daily routine (water.routine_deviation). */
  routine?: RoutineState;
  due: Partial<Record<SubjectTimerName, number>>;
}

export function newSubjectState(type: 'resident' | 'elevator', id: string): SubjectState {
  return { type, id, risk: { colour: 'green', changedAt: 0 }, history: [], away: [], due: {} };
}
