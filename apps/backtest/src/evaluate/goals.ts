import { FALL_KINDS, NO_ACTIVITY_RULES } from './incident-rules';
import type { KindScore, Score } from './score';

/** The three goals, measured on the platform pass against the fixed-rule pass. */
export interface Goals {
  /** Every fall detected (falls and falls in the shower). */
  everyFall: { detected: number; incidents: number; met: boolean };
  /** Median time-to-alert for falls (kind `fall`) at most half the fixed rule's. */
  fallMedian: { platformMs: number | null; baselineMs: number | null; ratio: number | null; met: boolean };
  /** False no-activity alerts (water.no_activity + water.routine_deviation) per resident-month at most a fifth. */
  falseNoActivity: { platform: number; baseline: number; ratio: number | null; met: boolean };
}

export function kindOf(s: Score, kind: string): KindScore | undefined {
  return s.kinds.find((k) => k.kind === kind);
}

/** False alerts per resident-month of the no-activity family (the water.no_activity + routine rules). */
export function falseNoActivity(s: Score): number {
  let sum = 0;
  for (const f of s.falseByRule) if (f.subjectType === 'resident' && NO_ACTIVITY_RULES.includes(f.rule as (typeof NO_ACTIVITY_RULES)[number])) sum += f.perSubjectMonth;
  return sum;
}

export function goalsOf(platform: Score, baseline: Score): Goals {
  let detected = 0;
  let incidents = 0;
  for (const kind of FALL_KINDS) {
    const k = kindOf(platform, kind);
    detected += k?.detected ?? 0;
    incidents += k?.incidents ?? 0;
  }
  const pm = kindOf(platform, 'fall')?.ttaMedianMs ?? null;
  const bm = kindOf(baseline, 'fall')?.ttaMedianMs ?? null;
  const ratio = pm !== null && bm !== null && bm > 0 ? pm / bm : null;
  const pf = falseNoActivity(platform);
  const bf = falseNoActivity(baseline);
  const fr = bf > 0 ? pf / bf : null;
  return {
    everyFall: { detected, incidents, met: detected === incidents },
    fallMedian: { platformMs: pm, baselineMs: bm, ratio, met: ratio !== null && ratio <= 0.5 },
    falseNoActivity: { platform: pf, baseline: bf, ratio: fr, met: fr !== null ? fr <= 0.2 : pf === 0 },
  };
}
