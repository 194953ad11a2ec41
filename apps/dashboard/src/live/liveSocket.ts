import { backoffDelay } from './backoff';
import { parseFrame, type LiveMessage } from './messages';

export type LiveStatus =
  /** First connection under way. */
  | 'connecting'
  /** Connected, replaying what was missed (after a reconnection). */
  | 'syncing'
  | 'live'
  /** Lost; waiting for the next attempt. */
  | 'reconnecting'
  /** The token was refused (expired, revoked): no further attempts. */
  | 'unauthorized'
  | 'stopped';

export interface LiveState {
  status: LiveStatus;
  /** When the connection was lost (the start of the gap), while reconnecting or syncing again. */
  lostAt?: number;
  attempt: number;
  nextAttemptAt?: number;
}

/** The part of a WebSocket this class uses; tests pass a fake, the browser an adapter over WebSocket. */
export interface SocketLike {
  onmessage: ((ev: { readonly data: unknown }) => void) | null;
  onclose: ((ev: { readonly code: number }) => void) | null;
  close(code?: number, reason?: string): void;
}

export function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const s: SocketLike = { onmessage: null, onclose: null, close: (code, reason) => ws.close(code, reason) };
  ws.onmessage = (ev) => s.onmessage?.({ data: ev.data });
  ws.onclose = (ev) => s.onclose?.({ code: ev.code });
  // An error is always followed by a close event; the close handler decides what happens next.
  ws.onerror = () => undefined;
  return s;
}

export interface LiveSocketOptions {
  /** `ws://host/ws?token=...`, with `&since=N` added when resuming. */
  url: string;
  onMessage(message: LiveMessage): void;
  onState(state: LiveState): void;
  /**
   * A fresh stream started (first connection, or the server could not resume): whatever the screen
   * shows must be reloaded from the REST API. `resumed` tells a caught-up reconnection apart.
   */
  onStart(kind: 'fresh' | 'reset'): void;
  /** The replay after a reconnection is complete: everything missed has been delivered. */
  onResumed?(): void;
  createSocket?: (url: string) => SocketLike;
  now?: () => number;
  random?: () => number;
}

/** Close codes of apps/rules-engine/src/live/live-message.ts. */
const UNAUTHORIZED = 4401;

/**
 * The dashboard's one live connection. It resumes after every drop with `since` = the last sequence
 * number seen, so the server replays exactly what was missed (domain.md complaint 9: live views that
 * freeze). A silent connection (no frame for 2.5 heartbeats: a dead NAT mapping, a sleeping laptop)
 * is treated as lost, because browsers can take minutes to notice a dead TCP connection themselves.
 */
export class LiveSocket {
  private ws?: SocketLike;
  private state: LiveState = { status: 'connecting', attempt: 0 };
  private lastSeq?: number;
  private heartbeatMs = 25_000;
  private watchdog?: ReturnType<typeof setTimeout>;
  private retry?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly opts: LiveSocketOptions) {
    this.now = opts.now ?? Date.now;
  }

  get seq(): number | undefined {
    return this.lastSeq;
  }

  get current(): LiveState {
    return this.state;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.ws?.close(1000, 'bye');
    this.ws = undefined;
    this.setState({ status: 'stopped', attempt: 0 });
  }

  /** Skip the backoff wait (the user pressed "reconnect", the browser came back online or into view). */
  reconnectNow(): void {
    if (this.stopped || this.state.status !== 'reconnecting') return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.connect();
  }

  private connect(): void {
    const resuming = this.lastSeq !== undefined;
    const url = resuming ? `${this.opts.url}&since=${this.lastSeq}` : this.opts.url;
    const ws = (this.opts.createSocket ?? browserSocket)(url);
    this.ws = ws;
    if (this.state.status === 'reconnecting') this.setState({ ...this.state, status: 'reconnecting', nextAttemptAt: undefined });
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.onFrame(typeof ev.data === 'string' ? ev.data : '', resuming);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.onClosed(ev.code);
    };
    this.armWatchdog();
  }

  private onFrame(text: string, resuming: boolean): void {
    this.armWatchdog();
    const { message, seq } = parseFrame(text);
    if (message?.type === 'hello') {
      this.heartbeatMs = message.heartbeatS * 1000;
      this.armWatchdog();
      if (!resuming) {
        // A fresh stream starts live from the server's newest event: load the current state now.
        this.lastSeq = message.seq;
        this.opts.onStart('fresh');
      }
      this.setState({ ...this.state, status: 'syncing' });
      return;
    }
    if (message?.type === 'reset') {
      // The server cannot resume from our seq (its data was replaced): reload everything.
      this.lastSeq = message.seq;
      this.opts.onStart('reset');
      return;
    }
    if (seq !== undefined && (this.lastSeq === undefined || seq > this.lastSeq)) this.lastSeq = seq;
    if (message?.type === 'synced') {
      const wasLost = this.state.lostAt !== undefined;
      this.setState({ status: 'live', attempt: 0 });
      if (wasLost) this.opts.onResumed?.();
      return;
    }
    if (message) this.opts.onMessage(message);
  }

  private onClosed(code: number): void {
    this.clearTimers();
    if (this.stopped) return;
    if (code === UNAUTHORIZED) {
      this.setState({ status: 'unauthorized', attempt: 0 });
      return;
    }
    const attempt = this.state.attempt + 1;
    const delay = backoffDelay(attempt, this.opts.random);
    this.setState({ status: 'reconnecting', lostAt: this.state.lostAt ?? this.now(), attempt, nextAttemptAt: this.now() + delay });
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect();
    }, delay);
  }

  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    const ws = this.ws;
    this.watchdog = setTimeout(() => {
      if (this.ws !== ws || !ws) return;
      // Detach first: a dead socket's close event may come much later, or never.
      this.ws = undefined;
      ws.close(4000, 'no heartbeat');
      this.onClosed(4000);
    }, this.heartbeatMs * 2.5);
  }

  private clearTimers(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.retry) clearTimeout(this.retry);
    this.watchdog = undefined;
    this.retry = undefined;
  }

  private setState(s: LiveState): void {
    this.state = s;
    this.opts.onState(s);
  }
}
