import { OUTCOMES, type Outcome } from '@hearthbeat/contracts';

/** What people may record: every outcome but `auto_cleared`, which only the rules record. */
export const PERSON_OUTCOMES: readonly Outcome[] = OUTCOMES.filter((o) => o !== 'auto_cleared');

/** The outcomes that fit a home or a lift come first in the list; the others stay available. */
const FIRST: Record<'resident' | 'elevator', readonly Outcome[]> = {
  resident: ['safe', 'away', 'hospitalised', 'emergency_called', 'false_alarm', 'device_fault'],
  elevator: ['rescued', 'repaired', 'no_fault_found', 'emergency_called', 'false_alarm', 'device_fault'],
};

export function outcomesFor(kind: 'resident' | 'elevator' | undefined): Outcome[] {
  const first = kind ? FIRST[kind] : [];
  return [...first, ...PERSON_OUTCOMES.filter((o) => !first.includes(o))];
}
