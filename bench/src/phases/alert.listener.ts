import WebSocket from 'ws';
import type { BenchCredentials } from '../fleet/bench-fleet';
import type { ChildHandle } from '../core/child.handle';
import { epochNow } from '../core/stats';

/** Where an alert is seen: a staff user's WebSocket (`/ws`), or the engine's CoreDriver.events$ in-process. */
export type AlertPath = 'ws' | 'core-event';

export interface AlertListener {
  path: AlertPath;
  /** Why the WebSocket path was not used, when it was not. */
  fallbackReason?: string;
  /** Called once per (device, first alert seen) with the epoch ms it was seen. */
  onAlert(fn: (deviceId: string, rule: string, at: number) => void): void;
  close(): void;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** POST /api/auth/login (protocol.md); undefined with the reason when the API is not there (yet). */
async function login(httpPort: number, who: BenchCredentials): Promise<{ token: string } | { reason: string }> {
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${httpPort}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: who.username, password: who.password }),
    });
  } catch (err) {
    return { reason: `POST /api/auth/login failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok || !isRecord(body) || typeof body.token !== 'string') return { reason: `POST /api/auth/login answered ${res.status}` };
  return { token: body.token };
}

/**
 * The staff user's live alert stream: `/ws?token=` pushing `{"type":"alert","alert":{...}}` (protocol.md).
 * When the API is not in the engine yet, falls back to the platform host reporting CoreDriver.events$
 * over IPC; the latency figure is then named for what it measures (to the core event, not to a client).
 */
export async function openAlertListener(httpPort: number, staff: BenchCredentials, platform: ChildHandle): Promise<AlertListener> {
  const handlers: ((deviceId: string, rule: string, at: number) => void)[] = [];
  const emit = (deviceId: string, rule: string, at: number) => handlers.forEach((h) => h(deviceId, rule, at));
  const auth = await login(httpPort, staff);
  if ('reason' in auth) {
    platform.on('alert', (m) => {
      const msg = m as unknown as { deviceId: string | null; rule: string; at: number };
      if (msg.deviceId) emit(msg.deviceId, msg.rule, msg.at);
    });
    return { path: 'core-event', fallbackReason: auth.reason, onAlert: (fn) => handlers.push(fn), close: () => undefined };
  }
  const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/ws?token=${encodeURIComponent(auth.token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data: WebSocket.RawData) => {
    const at = epochNow();
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!isRecord(msg) || msg.type !== 'alert' || !isRecord(msg.alert)) return;
    const { deviceId, rule } = msg.alert;
    if (typeof deviceId === 'string' && typeof rule === 'string') emit(deviceId, rule, at);
  });
  return { path: 'ws', onAlert: (fn) => handlers.push(fn), close: () => ws.close() };
}
