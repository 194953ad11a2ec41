import type { IncomingMessage, Server } from 'node:http';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RegistryStore } from '@hearthbeat/registry';
import { AuthService } from '../auth/auth.service';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import type { Clock } from '../driver/clock';
import type { EngineConfig } from '../engine.config';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, ENGINE_CONFIG, LOGGER, REGISTRY } from '../engine.tokens';
import { EngineMetrics } from '../ops/engine.metrics';
import { SubjectsService } from '../subjects/subjects.service';
import { CLOSE, clientMessageSchema, connectQuerySchema } from './live-message';
import { LiveSession } from './live-session';

/** A client this far behind (bytes queued in its socket) is dropped; it resumes with `since`, losing nothing. */
const MAX_BUFFERED = 8 * 1024 * 1024;
const REPLAY_HIGH_WATER = 1024 * 1024;

interface Client {
  ws: WebSocket;
  user: AuthUser;
  token: string;
  session: LiveSession;
  alive: boolean;
}

/**
 * `/ws?token=TOKEN[&since=SEQ]` on the engine's HTTP server (the `ws` library directly: the protocol is
 * plain JSON frames, no Nest message routing needed). Thin: authentication, scoping and socket
 * housekeeping here; ordering and resume in LiveSession. Every stored event the user may see is pushed;
 * elevator car state (not stored) is pushed as it arrives and as a snapshot after each (re)sync.
 */
@Injectable()
export class LiveGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private wss?: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly subs: Subscription[] = [];
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runtime: EngineRuntime,
    private readonly auth: AuthService,
    private readonly scope: ScopePolicy,
    private readonly subjects: SubjectsService,
    private readonly metrics: EngineMetrics,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  get clientCount(): number {
    return this.clients.size;
  }

  onApplicationBootstrap(): void {
    const server: Server = this.adapterHost.httpAdapter.getHttpServer();
    this.wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
    this.wss.on('connection', (ws, req) => this.connect(ws, req));
    const driver = this.runtime.driver;
    this.subs.push(
      driver.events$.subscribe((s) => {
        for (const c of this.clients) this.guard(c, () => c.session.onLive(s));
      }),
      driver.admitted$.subscribe(({ message }) => {
        if (message.kind === 'elevator' && this.clients.size > 0) this.pushElevator(message.deviceId);
      }),
      this.auth.revoked$.subscribe((sessionId) => {
        for (const c of this.clients) if (c.user.sessionId === sessionId) c.ws.close(CLOSE.unauthorized, 'signed out');
      }),
    );
    this.heartbeat = setInterval(() => this.beat(), this.config.api.wsPingS * 1000);
    this.heartbeat.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const s of this.subs) s.unsubscribe();
    // 1001: clients reconnect (to the next instance) and resume with `since`.
    for (const c of this.clients) c.ws.close(CLOSE.goingAway, 'server restarting');
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.metrics.wsClients.set(0);
  }

  private connect(ws: WebSocket, req: IncomingMessage): void {
    // Never log req.url: it carries the token.
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = connectQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) {
      const bad = query.error.issues[0];
      const field = bad?.path.join('.') ?? '';
      ws.close(field === 'token' ? CLOSE.unauthorized : CLOSE.badRequest, field === 'token' ? 'missing token' : `bad ${field}`);
      return;
    }
    const user = this.auth.authenticate(query.data.token);
    if (!user) {
      ws.close(CLOSE.unauthorized, 'invalid or expired token');
      return;
    }
    const session = new LiveSession({
      replay: (after, limit) => this.runtime.engineStore.eventsAfter(after, limit),
      lastSeq: () => this.runtime.engineStore.lastEventSeq(),
      prunedThrough: () => this.runtime.engineStore.prunedThrough(),
      visible: (event) => this.scope.seesEvent(client.user, event),
      send: (m) => this.send(client, m),
      drained: () => drained(ws),
    });
    const client: Client = { ws, user, token: query.data.token, alive: true, session };
    this.clients.add(client);
    this.metrics.wsClients.set(this.clients.size);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => this.guard(client, () => this.onMessage(client, isBinary ? '' : data.toString())));
    ws.on('close', () => {
      client.session.close();
      this.clients.delete(client);
      this.metrics.wsClients.set(this.clients.size);
    });
    ws.on('error', (err) => this.log.debug({ err, user: user.id }, 'websocket error'));
    this.log.debug({ user: user.id, session: user.sessionId, since: query.data.since }, 'websocket connected');
    const { sessionId: _s, ...who } = user;
    // Where this stream starts (a safe resume point even if the socket drops mid-replay): the newest
    // event unless `since` can be replayed (the session sends `reset` when it cannot).
    const store = this.runtime.engineStore;
    const newest = store.lastEventSeq();
    const since = query.data.since;
    const start = since !== undefined && since <= newest && since >= store.prunedThrough() ? since : newest;
    this.send(client, { type: 'hello', user: who, seq: start, heartbeatS: this.config.api.wsPingS });
    void this.sync(client, query.data.since);
  }

  private onMessage(client: Client, text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const msg = clientMessageSchema.safeParse(raw);
    if (!msg.success) {
      this.send(client, { type: 'error', error: 'invalid_request', message: 'expected {"type":"resume","since":N} or {"type":"ping"}' });
      return;
    }
    if (msg.data.type === 'ping') this.send(client, { type: 'pong', seq: client.session.lastSeq, at: this.clock.now() });
    else void this.sync(client, msg.data.since);
  }

  /** Replay then live, followed by the current state of the elevators the user looks after. */
  private async sync(client: Client, since: number | undefined): Promise<void> {
    try {
      await client.session.start(since);
      if (this.scope.kindsOf(client.user.role).includes('elevator')) {
        for (const e of this.registry.listElevators()) if (this.scope.seesSubject(client.user, 'elevator', e.site)) this.pushElevator(e.device, client);
      }
    } catch (err) {
      this.log.error({ err, user: client.user.id }, 'websocket replay failed');
      client.ws.close(1011, 'replay failed');
    }
  }

  /** `{"type":"elevator", ...}`: the car's latest state, to every client that looks after it (or one). */
  private pushElevator(deviceId: string, only?: Client): void {
    const owner = this.registry.getDevice(deviceId)?.subject;
    if (owner?.type !== 'elevator') return;
    const state = this.subjects.elevatorState(deviceId);
    if (!state) return;
    const online = this.runtime.driver.rules.deviceState(deviceId)?.online ?? false;
    const msg = { type: 'elevator', elevatorId: owner.id, site: owner.site, deviceId, online, ...state };
    for (const c of only ? [only] : this.clients) if (this.scope.seesSubject(c.user, 'elevator', owner.site)) this.send(c, msg);
  }

  /** Drops dead sockets, re-checks sessions (expiry, revocation, a changed role) and tells clients the stream is alive. */
  private beat(): void {
    for (const c of this.clients) {
      this.guard(c, () => {
        if (!c.alive) {
          c.ws.terminate();
          return;
        }
        const user = this.auth.recheck(c.user, c.token);
        if (!user) {
          c.ws.close(CLOSE.unauthorized, 'session expired');
          return;
        }
        c.user = user;
        c.alive = false;
        c.ws.ping();
        this.send(c, { type: 'heartbeat', seq: c.session.lastSeq, at: this.clock.now() });
      });
    }
  }

  private send(c: Client, message: Record<string, unknown>): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > MAX_BUFFERED) {
      c.ws.close(CLOSE.tooSlow, 'too slow: reconnect with since');
      return;
    }
    c.ws.send(JSON.stringify(message));
    this.metrics.wsPushed(typeof message['type'] === 'string' ? message['type'] : 'other');
  }

  /** One client's fault never reaches the event stream (an exception in a subscriber would end it). */
  private guard(c: Client, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err, user: c.user.id }, 'websocket push failed');
      c.ws.terminate();
    }
  }
}

function drained(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (ws.bufferedAmount < REPLAY_HIGH_WATER || ws.readyState !== ws.OPEN ? resolve() : setTimeout(check, 20));
    setImmediate(check);
  });
}
