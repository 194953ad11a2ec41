/**
 * Reconnection delays: quick at first (a blip on the phone's network), doubling to a ceiling so that a
 * platform restart is not hammered by every open screen at once; the jitter spreads the screens out.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, minMs = 500, maxMs = 30_000): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(maxMs, base * jitter));
}
