import { planDay, type Draw, type RoutineContext } from './daily-routine.model';

/** What scenarios change in a resident's water use. */
export interface WaterScenarioEffects {
  /** Windows in which the routine draws nothing (fall, hospital, away...); sorted by start. */
  suppress: [number, number][];
  /** Flows that scenarios add and that no suppression stops (tap running, leak, fall in the shower). */
  extra: Draw[];
  /** Late rising: day index -> the instant the resident gets up instead. */
  wakeOverrides: Map<number, number>;
}

/**
 * Every draw of a resident from day `fromDay` on, sorted by start: the daily routine with scenario
 * windows cut out (a draw running when a fall happens stops there), merged with the scenarios' own flows.
 * Lazy and infinite: the caller stops pulling; suppression windows must be finite.
 */
export function* residentDraws(ctx: RoutineContext, effects: WaterScenarioEffects, fromDay = -1): Generator<Draw, void> {
  const extra = [...effects.extra].sort((a, b) => a.start - b.start);
  let e = 0;
  for (let d = fromDay; ; d++) {
    for (const draw of planDay(ctx, d, { wake: effects.wakeOverrides.get(d) })) {
      const cut = applySuppression(draw, effects.suppress);
      if (!cut) continue;
      while (e < extra.length && (extra[e] as Draw).start <= cut.start) yield extra[e++] as Draw;
      yield cut;
    }
  }
}

function applySuppression(draw: Draw, windows: [number, number][]): Draw | null {
  for (const [from, to] of windows) {
    if (draw.start >= from && draw.start < to) return null;
    if (draw.start < from && draw.end > from) return { ...draw, end: from };
  }
  return draw;
}
