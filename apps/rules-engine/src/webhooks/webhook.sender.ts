export interface SendResult {
  ok: boolean;
  status?: number;
  error?: string;
  /** Cut short by shutdown: not counted as an attempt. */
  aborted?: boolean;
}

export type WebhookSender = (url: string, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal) => Promise<SendResult>;

const prop = (v: unknown, key: string): unknown => (typeof v === 'object' && v !== null ? Reflect.get(v, key) : undefined);

/**
 * Why a fetch failed, as a short code (`ECONNREFUSED`, `timeout`). Duck-typed rather than
 * `instanceof Error`: fetch's errors may come from another realm (a test VM), and are never cast.
 */
function failureOf(err: unknown): string {
  if (prop(err, 'name') === 'TimeoutError') return 'timeout';
  const cause = prop(err, 'cause');
  const code = prop(cause, 'code');
  if (typeof code === 'string') return code;
  const message = prop(cause, 'message') ?? prop(err, 'message');
  return typeof message === 'string' ? message : String(err);
}

/**
 * One POST with Node's fetch. Only 2xx counts as delivered; redirects are not followed (a receiver
 * that moved must be reconfigured, rather than the signed body being replayed to another host).
 */
export const httpSender: WebhookSender = async (url, headers, body, timeoutMs, signal) => {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([signal, timeout]) });
    // Drain nothing: the receiver's answer is not used, and cancelling frees the connection.
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    if (signal.aborted) return { ok: false, aborted: true, error: 'stopped' };
    return { ok: false, error: failureOf(err) };
  }
};
