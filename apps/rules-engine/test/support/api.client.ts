import WebSocket from 'ws';
import { waitFor } from '@hearthbeat/testing';

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** A real HTTP client (Node's fetch) for the engine API. */
export class ApiClient {
  /** The base URL, or a function giving it (the engine's port changes when a test restarts it). */
  constructor(private readonly baseUrl: string | (() => string)) {}

  get base(): string {
    return typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl();
  }

  async call(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Prometheus text, HTML: kept as text.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async login(username: string, password: string): Promise<string> {
    const res = await this.call('POST', '/api/auth/login', { body: { username, password } });
    const token = field(res.body, 'token');
    if (res.status !== 200 || typeof token !== 'string') throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return token;
  }
}

/** A property of a JSON value, without casting it. */
export function field(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? Reflect.get(v, key) : undefined;
}

export type Pushed = Record<string, unknown>;

/** A real WebSocket client that records every frame it receives. */
export class LiveClient {
  readonly messages: Pushed[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) this.messages.push(Object.fromEntries(Object.entries(parsed)));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve((this.closeCode = code))));
  }

  static async connect(httpPort: number, query: string, opts: { waitSynced?: boolean } = {}): Promise<LiveClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/ws?${query}`);
    const client = new LiveClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (opts.waitSynced ?? true) await client.next((m) => m['type'] === 'synced' || undefined, 'synced');
    return client;
  }

  /** Waits for a message matching `pred` (among those already received, too). */
  next<T>(pred: (m: Pushed) => T | undefined, what: string, timeoutMs = 8000): Promise<T> {
    return waitFor(what, () => {
      for (const m of this.messages) {
        const v = pred(m);
        if (v !== undefined) return v;
      }
      return undefined;
    }, timeoutMs, 10);
  }

  alerts(): Pushed[] {
    return this.messages.filter((m) => m['type'] === 'alert');
  }

  /** Sequence numbers of the stored events received (alerts, risk, device, away...). */
  seqs(): number[] {
    return this.messages.filter((m) => typeof m['seq'] === 'number' && !['hello', 'synced', 'heartbeat', 'pong', 'reset'].includes(String(m['type']))).map((m) => Number(m['seq']));
  }

  lastSeq(): number {
    const all = this.messages.map((m) => m['seq']).filter((s): s is number => typeof s === 'number');
    return all.length ? Math.max(...all) : 0;
  }

  send(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}
