import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import { statusTopic } from '@hearthbeat/contracts';
import { EMPTY_ACL, parseAclFileOrThrow, type AclFile } from '../acl/acl-file.parser';
import { createBrokerHttpServer, type HealthReport } from '../http/broker-http.server';
import { LogThrottle } from '../logging/log.throttle';
import { BrokerMetrics } from '../metrics/broker.metrics';
import { close, listen } from '../transport/server.lifecycle';
import { GuardedConnection } from '../transport/guarded.connection';
import { RejectionTable, type RejectionEntry } from '../validation/rejection.table';
import { BrokerStartError } from './broker.errors';
import type { BrokerOptions } from './broker.options';
import { classifyClientError } from './client-error.classifier';
import { ClientGate } from './client.gate';
import { guardHooks } from './hook.guards';
import { describeConnection, type Transport } from './connection.state';
import { PublishGate } from './publish.gate';

/** The ports actually bound (useful when 0 was asked for). */
export interface BrokerPorts {
  mqtt: number;
  ws?: number;
  tls?: number;
  http?: number;
}

const DEFAULTS = {
  host: '0.0.0.0',
  mqttPort: 1883,
  wsPort: 8083,
  httpPort: 9101,
  maxConnections: 100_000,
  maxPacketBytes: 16 * 1024,
  clientMsgRate: 50,
  connectTimeoutMs: 30_000,
  logThrottleMs: 60_000,
} as const;

/**
 * Hearthbeat's MQTT broker: aedes behind authentication against the registry, protocol.md's access
 * rules plus a mosquitto-style access file, payload validation at the edge, connection limits, and
 * Prometheus metrics in its own registry. Nothing happens until start(); stop() undoes all of it.
 */
export class HearthbeatBroker {
  /** Prometheus registry of the broker alone (never the global one), for the platform to merge. */
  readonly metrics: Registry;
  private readonly m: BrokerMetrics;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly table = new RejectionTable();
  private readonly clients: ClientGate;
  private readonly publishes: PublishGate;
  private readonly connections = new Set<Duplex>();
  private acl: AclFile = EMPTY_ACL;
  private aedes?: Aedes;
  private servers: { tcp?: net.Server; tls?: tls.Server; ws?: http.Server; wss?: WebSocketServer; http?: http.Server } = {};
  private bound: BrokerPorts | undefined;
  private startedAt = 0;
  private stopping = false;

  constructor(private readonly options: BrokerOptions) {
    this.logger = options.logger ?? pino({ name: 'hb-broker' });
    this.clock = options.clock ?? Date.now;
    const throttle = new LogThrottle(options.logThrottleMs ?? DEFAULTS.logThrottleMs, this.clock);
    const ctx = {
      registry: options.registry,
      logger: this.logger,
      throttle,
      clock: this.clock,
      allowAnonymous: options.allowAnonymous ?? false,
      maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
      clientMsgRate: options.clientMsgRate ?? DEFAULTS.clientMsgRate,
      acl: () => this.acl,
    };
    this.m = new BrokerMetrics({ connections: () => this.clients.connectionCount, sockets: () => this.clients.socketCount });
    this.metrics = this.m.registry;
    this.clients = new ClientGate({ ...ctx, metrics: this.m });
    this.publishes = new PublishGate({ ...ctx, metrics: this.m, rejections: this.table, stopping: () => this.stopping }, this.clients);
  }

  /** Bound ports; throws before start(). */
  get ports(): BrokerPorts {
    if (!this.bound) throw new Error('broker not started');
    return this.bound;
  }

  get listening(): boolean {
    return this.bound !== undefined && !this.stopping;
  }

  /** Authenticated clients connected now. */
  get connectionCount(): number {
    return this.clients.connectionCount;
  }

  /** Rejected device payloads by device and reason (protocol.md, "Bad input"), optionally for one device. */
  rejections(deviceId?: string): RejectionEntry[] {
    return this.table.list(deviceId);
  }

  async start(): Promise<BrokerPorts> {
    if (this.aedes) throw new Error('broker already started');
    const o = this.options;
    const host = o.host ?? DEFAULTS.host;
    this.acl = await this.readAcl();
    const tlsFiles = o.tls ? await this.readTls(o.tls.certFile, o.tls.keyFile) : undefined;
    const hooks = guardHooks(
      {
        preConnect: this.clients.preConnect,
        authenticate: this.clients.authenticate,
        authorizeSubscribe: this.clients.authorizeSubscribe,
        authorizePublish: this.publishes.authorizePublish,
        authorizeForward: this.publishes.authorizeForward,
      },
      (hook, err) => this.logger.error({ err, hook }, 'broker hook failed; only this client is affected'),
    );
    const aedes = await Aedes.createBroker({ connectTimeout: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs, ...hooks });
    this.aedes = aedes;
    this.watch(aedes);
    this.stopping = false;
    try {
      const ports: BrokerPorts = { mqtt: 0 };
      this.servers.tcp = net.createServer((socket) => this.accept(socket, 'tcp', socket.remoteAddress));
      ports.mqtt = await listen(this.servers.tcp, o.mqttPort ?? DEFAULTS.mqttPort, host);
      if (o.tls && tlsFiles) {
        this.servers.tls = tls.createServer(tlsFiles, (socket) => this.accept(socket, 'tls', socket.remoteAddress));
        this.servers.tls.on('tlsClientError', (err, socket) => this.logger.debug({ err: err.message, remote: socket.remoteAddress }, 'TLS handshake failed'));
        ports.tls = await listen(this.servers.tls, o.tls.port, host);
      }
      const wsPort = o.wsPort === undefined ? DEFAULTS.wsPort : o.wsPort;
      if (wsPort !== null) ports.ws = await this.listenWebSocket(wsPort, host);
      const httpPort = o.httpPort === undefined ? DEFAULTS.httpPort : o.httpPort;
      if (httpPort !== null) {
        this.servers.http = createBrokerHttpServer(() => this.health(), this.metrics);
        ports.http = await listen(this.servers.http, httpPort, host);
      }
      this.bound = ports;
      this.startedAt = this.clock();
      this.logger.info({ ports, host, acl: o.aclFile ?? null, allowAnonymous: o.allowAnonymous ?? false }, 'broker listening');
      return ports;
    } catch (err) {
      await this.stop();
      throw new BrokerStartError(`broker could not listen: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /** Closes every listener and connection. Wills are not published for clients closed by a stop. */
  async stop(): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return;
    this.stopping = true;
    const { tcp, tls: tlsServer, ws, wss, http: httpServer } = this.servers;
    const closing = [tcp, tlsServer, ws, httpServer].filter((s): s is net.Server => s !== undefined).map(close);
    wss?.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const conn of this.connections) conn.destroy();
    ws?.closeAllConnections();
    httpServer?.closeAllConnections();
    await Promise.all(closing);
    this.servers = {};
    this.aedes = undefined;
    this.bound = undefined;
    this.logger.info('broker stopped');
  }

  /** Re-reads the access file (e.g. on SIGHUP); on a parse error the rules in force stay and it throws. */
  async reloadAcl(): Promise<void> {
    this.acl = await this.readAcl();
    this.clients.refreshRules();
    this.logger.info({ acl: this.options.aclFile ?? null }, 'access file reloaded');
  }

  private health(): HealthReport {
    const ports: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.bound ?? {})) if (typeof v === 'number') ports[k] = v;
    return {
      status: this.listening ? 'ok' : 'unavailable',
      ports,
      connections: this.clients.connectionCount,
      uptimeS: this.listening ? Math.round((this.clock() - this.startedAt) / 1000) : 0,
    };
  }

  private async readAcl(): Promise<AclFile> {
    const file = this.options.aclFile;
    if (file === undefined) return EMPTY_ACL;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new BrokerStartError(`cannot read access file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return parseAclFileOrThrow(text, file);
  }

  private async readTls(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer }> {
    try {
      return { cert: await readFile(certFile), key: await readFile(keyFile) };
    } catch (err) {
      throw new BrokerStartError(`cannot read TLS certificate or key: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private async listenWebSocket(port: number, host: string): Promise<number> {
    const server = http.createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: connect to /mqtt\n'));
    const maxPacketBytes = this.options.maxPacketBytes ?? DEFAULTS.maxPacketBytes;
    const wss = new WebSocketServer({
      server,
      path: '/mqtt',
      // One WebSocket message may carry several MQTT packets; the frame scanner enforces the packet limit.
      maxPayload: Math.max(4 * maxPacketBytes, 64 * 1024),
      // MQTT over WebSocket uses the subprotocol "mqtt" (3.1.1, section 6); "mqttv3.1" is the 3.1 name.
      handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
    });
    wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => this.accept(createWebSocketStream(ws), 'ws', req.socket.remoteAddress, req));
    wss.on('error', (err) => this.logger.error({ err }, 'WebSocket server error'));
    this.servers.ws = server;
    this.servers.wss = wss;
    return listen(server, port, host);
  }

  private accept(socket: Duplex, transport: Transport, remote: string | undefined, req?: http.IncomingMessage): void {
    const aedes = this.aedes;
    if (!aedes || this.stopping) {
      socket.destroy();
      return;
    }
    if (socket instanceof net.Socket) socket.setNoDelay(true);
    const conn = new GuardedConnection(socket, this.options.maxPacketBytes ?? DEFAULTS.maxPacketBytes);
    this.connections.add(conn);
    const client = aedes.handle(conn, req);
    this.clients.track(client, transport, remote ?? 'unknown');
    conn.on('close', () => {
      this.connections.delete(conn);
      this.clients.untrack(client);
    });
  }

  private watch(aedes: Aedes): void {
    aedes.on('clientReady', (client) => this.onReady(client));
    aedes.on('clientDisconnect', (client) => {
      const state = this.clients.state(client);
      this.logger.info({ clientId: client.id, kind: state?.identity?.kind }, 'client disconnected');
    });
    aedes.on('keepaliveTimeout', (client) => {
      this.m.keepaliveTimeouts.inc();
      this.clients.warn(`keepalive:${client.id}`, { clientId: client.id, reason: 'keepalive_timeout' }, 'client closed: keepalive expired');
    });
    const onError = (client: Client, err: Error) => {
      const state = this.clients.state(client);
      const who = describeConnection(state);
      const cls = classifyClientError(err);
      if (cls.kind === 'packet') {
        this.m.packetErrors.inc({ reason: cls.reason });
        this.clients.warn(`packet:${who}:${cls.reason}`, { clientId: who, remote: state?.remote, reason: cls.reason, detail: err.message }, 'connection closed: bad packet');
      } else if (cls.kind === 'refused') {
        this.m.refused.inc({ reason: cls.reason });
        this.clients.warn(`refused:${cls.reason}`, { clientId: who, reason: cls.reason }, 'CONNECT refused');
      } else if (cls.kind === 'network' || cls.kind === 'timeout') {
        this.logger.debug({ clientId: who, ...cls, detail: err.message }, 'connection closed');
      }
    };
    aedes.on('clientError', onError);
    aedes.on('connectionError', onError);
    // aedes emits 'error' for persistence faults; an EventEmitter without a listener would throw.
    // (Not in aedes' typed events, hence the EventEmitter signature.)
    EventEmitter.prototype.on.call(aedes, 'error', (err: unknown) => this.logger.error({ err }, 'aedes error'));
  }

  private onReady(client: Client): void {
    const identity = this.clients.state(client)?.identity;
    if (identity?.kind !== 'device') return;
    // protocol.md, "Topics": {"online":true} retained on the status topic when a device connects.
    const payload = Buffer.from(JSON.stringify({ online: true, ts: this.clock() }));
    this.aedes?.publish({ cmd: 'publish', topic: statusTopic(identity.clientId), payload, qos: 1, retain: true, dup: false }, (err) => {
      if (err) this.logger.error({ err, clientId: identity.clientId }, 'could not publish online status');
    });
    this.logger.info({ clientId: identity.clientId, kind: identity.device.kind }, 'device online');
  }
}
