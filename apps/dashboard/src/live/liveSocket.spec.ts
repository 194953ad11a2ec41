import { LiveSocket, type LiveState, type SocketLike } from './liveSocket';
import type { LiveMessage } from './messages';

/** A WebSocket stand-in: the test plays the server. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  closed?: number;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(m: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  close(code = 1000): void {
    this.closed = code;
  }
  /** The server side drops the connection. */
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
}

function harness() {
  FakeSocket.all = [];
  const states: LiveState[] = [];
  const messages: LiveMessage[] = [];
  const starts: string[] = [];
  let resumed = 0;
  const socket = new LiveSocket({
    url: 'ws://x/ws?token=t',
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
    onStart: (k) => starts.push(k),
    onResumed: () => resumed++,
    createSocket: (u) => new FakeSocket(u),
    random: () => 0.5,
  });
  const last = () => {
    const s = FakeSocket.all.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  return { socket, states, messages, starts, resumed: () => resumed, last, status: () => states.at(-1)?.status };
}

const alert = (seq: number, state = 'open') => ({
  type: 'alert',
  seq,
  change: state === 'open' ? 'opened' : 'acknowledged',
  at: seq,
  alert: { id: 'AL-1', rule: 'smoke.alarm', state, severity: 'critical', subject: { type: 'resident', id: 'R-1' }, site: 's', openedAt: 1, lastSeenAt: 1, count: 1, reason: '', escalationLevel: 0 },
});

describe('LiveSocket', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts fresh from the server newest event, then goes live', () => {
    const h = harness();
    h.socket.start();
    expect(h.last().url).toBe('ws://x/ws?token=t');
    h.last().send({ type: 'hello', seq: 41, heartbeatS: 25 });
    expect(h.starts).toEqual(['fresh']);
    h.last().send({ type: 'synced', seq: 41 });
    expect(h.status()).toBe('live');
    h.last().send(alert(42));
    expect(h.messages).toHaveLength(1);
    expect(h.socket.seq).toBe(42);
  });

  it('after a drop, reconnects with backoff and resumes from the last seq seen, without reloading', () => {
    const h = harness();
    h.socket.start();
    h.last().send({ type: 'hello', seq: 10, heartbeatS: 25 });
    h.last().send({ type: 'synced', seq: 10 });
    h.last().send(alert(12));
    h.last().drop();
    expect(h.status()).toBe('reconnecting');
    expect(h.states.at(-1)?.lostAt).toBeDefined();
    expect(FakeSocket.all).toHaveLength(1);
    jest.advanceTimersByTime(500);
    expect(h.last().url).toBe('ws://x/ws?token=t&since=12');
    // The hello of a resumed stream carries the server's newest seq: it must not move the resume point.
    h.last().send({ type: 'hello', seq: 20, heartbeatS: 25 });
    expect(h.socket.seq).toBe(12);
    h.last().send(alert(15, 'acknowledged'));
    h.last().send({ type: 'synced', seq: 20 });
    expect(h.starts).toEqual(['fresh']);
    expect(h.resumed()).toBe(1);
    expect(h.status()).toBe('live');
    expect(h.socket.seq).toBe(20);
  });

  it('backs off longer after each failed attempt, and "reconnect now" skips the wait', () => {
    const h = harness();
    h.socket.start();
    h.last().drop();
    jest.advanceTimersByTime(500);
    h.last().drop();
    expect(h.states.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 2 });
    jest.advanceTimersByTime(900);
    expect(FakeSocket.all).toHaveLength(2);
    h.socket.reconnectNow();
    expect(FakeSocket.all).toHaveLength(3);
  });

  it('reloads on reset (the server cannot resume from our seq)', () => {
    const h = harness();
    h.socket.start();
    h.last().send({ type: 'hello', seq: 5, heartbeatS: 25 });
    h.last().drop();
    jest.advanceTimersByTime(500);
    h.last().send({ type: 'hello', seq: 1, heartbeatS: 25 });
    h.last().send({ type: 'reset', seq: 1, message: 'since=5 is beyond the newest event 1' });
    expect(h.starts).toEqual(['fresh', 'reset']);
    expect(h.socket.seq).toBe(1);
  });

  it('treats a silent connection as lost after 2.5 heartbeats', () => {
    const h = harness();
    h.socket.start();
    h.last().send({ type: 'hello', seq: 1, heartbeatS: 10 });
    h.last().send({ type: 'synced', seq: 1 });
    jest.advanceTimersByTime(20_000);
    h.last().send({ type: 'heartbeat', seq: 3 });
    jest.advanceTimersByTime(20_000);
    expect(h.status()).toBe('live');
    jest.advanceTimersByTime(6_000);
    expect(h.status()).toBe('reconnecting');
    expect(FakeSocket.all[0]?.closed).toBe(4000);
    jest.advanceTimersByTime(500);
    expect(h.last().url).toBe('ws://x/ws?token=t&since=3');
  });

  it('stops for good when the token is refused (4401)', () => {
    const h = harness();
    h.socket.start();
    h.last().drop(4401);
    expect(h.status()).toBe('unauthorized');
    jest.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
