import WebSocket from 'ws';
import { z } from 'zod';

export interface WatchOptions {
  /** The engine's HTTP base, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  username: string;
  password: string;
  out(line: string): void;
  signal: AbortSignal;
  /** How long to keep trying to sign in while the platform starts. */
  loginTimeoutMs?: number;
  /** Zone of the printed times (the site's); the machine's when absent. */
  timeZone?: string;
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const prop = (v: unknown, k: string): unknown => (typeof v === 'object' && v !== null ? Reflect.get(v, k) : undefined);

/** One line per pushed message worth a human's attention (heartbeats and sync markers are quiet). */
export function formatPush(m: unknown, timeZone?: string): string | undefined {
  const clock = (ms: unknown) => new Date(typeof ms === 'number' ? ms : Date.now()).toLocaleTimeString('en-GB', timeZone ? { timeZone } : {});
  switch (prop(m, 'type')) {
    case 'hello':
      return `signed in as ${str(prop(prop(m, 'user'), 'id'))} (${str(prop(prop(m, 'user'), 'role'))}); listening`;
    case 'alert': {
      const a = prop(m, 'alert');
      const subject = prop(a, 'subject');
      const target = prop(m, 'target') ? ` -> ${str(prop(m, 'target'))}` : '';
      const by = prop(prop(m, 'entry'), 'by');
      return `[${clock(prop(m, 'at'))}] ALERT ${str(prop(m, 'change')).padEnd(12)} ${str(prop(a, 'severity')).padEnd(8)} ${str(prop(a, 'rule'))} ${str(prop(subject, 'type'))} ${str(prop(subject, 'id'))} ${str(prop(a, 'id'))}${target}${by && by !== 'system' ? ` by ${str(by)}` : ''}\n           ${str(prop(a, 'reason'))}`;
    }
    case 'risk':
      return `[${clock(prop(m, 'at'))}] RISK  ${str(prop(prop(m, 'subject'), 'id'))} ${str(prop(m, 'previous'))} -> ${str(prop(m, 'colour'))}`;
    case 'device':
      return `[${clock(prop(m, 'at'))}] DEVICE ${str(prop(m, 'deviceId'))} ${str(prop(m, 'change'))}`;
    case 'away':
    case 'welcome_back':
      return `[${clock(prop(m, 'at'))}] ${str(prop(m, 'type')).toUpperCase()} ${str(prop(prop(m, 'subject'), 'id'))} ${str(prop(m, 'change') ?? prop(m, 'message'))}`;
    case 'elevator':
      return `[${clock(prop(m, 'stateTs'))}] LIFT  ${str(prop(m, 'elevatorId'))} floor ${str(prop(m, 'floor'))} ${str(prop(m, 'direction'))} door ${str(prop(m, 'door'))}${prop(m, 'occupied') ? ' occupied' : ''} ${str(prop(m, 'mode'))}`;
    case 'reset':
    case 'error':
      return `server: ${str(prop(m, 'message'))}`;
    default:
      return undefined;
  }
}

const loginSchema = z.object({ token: z.string() });

async function login(o: WatchOptions): Promise<string> {
  const until = Date.now() + (o.loginTimeoutMs ?? 60_000);
  for (;;) {
    try {
      const res = await fetch(`${o.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: o.username, password: o.password }),
        signal: o.signal,
      });
      const body: unknown = await res.json();
      const ok = loginSchema.safeParse(body);
      if (ok.success) return ok.data.token;
      throw new Error(`login refused (${res.status}): ${str(prop(body, 'message'))}`);
    } catch (err) {
      if (o.signal.aborted) throw err;
      // The platform may still be starting: retry connection failures, not refusals.
      if (err instanceof Error && err.message.startsWith('login refused')) throw err;
      if (Date.now() > until) throw new Error(`no answer from ${o.baseUrl} (is \`npm run demo\` running?)`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * A minimal live screen: signs in, opens /ws and prints what is pushed. When the connection drops it
 * reconnects with `since` = the highest sequence number seen, so nothing is missed or shown twice.
 * Elevator car state is printed at most every 10 s per lift (it changes twice a second while moving).
 */
export async function watch(o: WatchOptions): Promise<void> {
  let token = await login(o);
  let since: number | undefined;
  const liftShown = new Map<string, number>();
  const wsBase = o.baseUrl.replace(/^http/, 'ws');
  while (!o.signal.aborted) {
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${wsBase}/ws?token=${encodeURIComponent(token)}${since !== undefined ? `&since=${since}` : ''}`);
      const stop = () => ws.close(1000);
      o.signal.addEventListener('abort', stop, { once: true });
      ws.on('message', (data) => {
        let m: unknown;
        try {
          m = JSON.parse(data.toString());
        } catch {
          return;
        }
        const seq = prop(m, 'seq');
        // hello carries where live starts, heartbeats where the stream is: both are safe resume points.
        if (typeof seq === 'number') since = Math.max(since ?? 0, seq);
        if (prop(m, 'type') === 'elevator') {
          const id = str(prop(m, 'elevatorId'));
          if (Date.now() - (liftShown.get(id) ?? 0) < 10_000) return;
          liftShown.set(id, Date.now());
        }
        const line = formatPush(m, o.timeZone);
        if (line) o.out(line);
      });
      ws.on('error', () => undefined);
      ws.on('close', (c) => {
        o.signal.removeEventListener('abort', stop);
        resolve(c);
      });
    });
    if (o.signal.aborted) return;
    if (code === 4401) token = await login(o);
    else {
      o.out(`connection closed (${code}); reconnecting with since=${since ?? 'now'}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
