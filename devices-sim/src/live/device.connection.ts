import * as net from 'node:net';
import * as tls from 'node:tls';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';

export interface BrokerAddress {
  host: string;
  port: number;
  tls: boolean;
  /** TLS: accept self-signed broker certificates (test brokers). */
  insecure: boolean;
}

export interface ConnectionOptions {
  address: BrokerAddress;
  clientId: string;
  username: string;
  password?: string;
  keepaliveS: number;
  will: { topic: string; payload: string };
  connectTimeoutMs: number;
}

export interface ConnectionListener {
  /** A PUBACK arrived for one of our QoS 1 publishes. */
  acked(): void;
  /** The connection ended; `expected` when we ended it; `unacked` QoS 1 publishes died with it. */
  closed(expected: boolean, unacked: number): void;
}

/** CONNACK return codes of MQTT 3.1.1 ([MQTT-3.2.2.3]). */
const CONNACK_REASONS: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

export function parseBrokerUrl(url: string, insecure = false): BrokerAddress {
  const u = new URL(url);
  const secure = u.protocol === 'mqtts:' || u.protocol === 'tls:' || u.protocol === 'ssl:';
  if (!secure && u.protocol !== 'mqtt:' && u.protocol !== 'tcp:') throw new RangeError(`unsupported broker URL scheme "${u.protocol}" (use mqtt:// or mqtts://)`);
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : secure ? 8883 : 1883, tls: secure, insecure };
}

/**
 * A minimal MQTT 3.1.1 client for one simulated device: CONNECT with a retained Last Will, QoS 1 PUBLISH
 * counted by PUBACK, PINGREQ when asked, a clean DISCONNECT or an abrupt close. It owns no timers (the
 * runner's shared scheduler sends pings), which is what lets one process hold 10,000 of them; mqtt.js
 * keeps a keep-alive timer, stores and reconnect logic per client that a simulator does not need.
 */
export class DeviceConnection {
  private socket: net.Socket | undefined;
  private nextId = 1;
  private readonly inflight = new Set<number>();
  private ending = false;
  connected = false;
  /** performance.now() of the last packet sent, for keep-alive. */
  lastSent = 0;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly listener: ConnectionListener,
  ) {}

  /** Opens the connection; resolves after a successful CONNACK, rejects with the broker's reason otherwise. */
  connect(now: () => number): Promise<void> {
    const { address } = this.opts;
    this.ending = false;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error('connect timed out')), this.opts.connectTimeoutMs);
      const socket = address.tls
        ? tls.connect({ host: address.host, port: address.port, rejectUnauthorized: !address.insecure })
        : net.connect({ host: address.host, port: address.port });
      this.socket = socket;
      socket.setNoDelay(true);
      const parser = mqttParser({ protocolVersion: 4 });
      parser.on('packet', (packet: Packet) => {
        if (packet.cmd === 'connack') {
          const code = packet.returnCode ?? 0;
          if (code !== 0) return fail(new Error(`connection refused: ${CONNACK_REASONS[code] ?? `code ${code}`}`));
          settled = true;
          clearTimeout(timer);
          this.connected = true;
          resolve();
        } else if (packet.cmd === 'puback' && packet.messageId !== undefined && this.inflight.delete(packet.messageId)) {
          this.listener.acked();
        }
      });
      parser.on('error', (err: Error) => socket.destroy(err));
      socket.on('data', (chunk: Buffer) => parser.parse(chunk));
      socket.on('error', (err) => {
        if (!settled) fail(err);
      });
      socket.on('close', () => {
        const wasConnected = this.connected;
        this.connected = false;
        if (this.socket === socket) this.socket = undefined;
        // A clean session keeps nothing: publishes not yet acknowledged are gone with the connection.
        const unacked = this.inflight.size;
        this.inflight.clear();
        if (!settled) fail(new Error('connection closed before CONNACK'));
        else if (wasConnected) this.listener.closed(this.ending, unacked);
      });
      const { clientId, username, password, keepaliveS, will } = this.opts;
      this.send(
        {
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId,
          keepalive: keepaliveS,
          username,
          ...(password !== undefined ? { password: Buffer.from(password) } : {}),
          will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
        },
        now,
      );
    });
  }

  /** QoS 1 publish; false when not connected. */
  publish(topic: string, payload: string, retain: boolean, now: () => number): boolean {
    if (!this.connected) return false;
    let id = this.nextId;
    // Skip identifiers still waiting for their PUBACK ([MQTT-2.3.1-4]).
    while (this.inflight.has(id)) id = (id % 65535) + 1;
    this.nextId = (id % 65535) + 1;
    this.inflight.add(id);
    this.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false, messageId: id }, now);
    return true;
  }

  ping(now: () => number): void {
    if (this.connected) this.send({ cmd: 'pingreq' }, now);
  }

  /** Clean shutdown: DISCONNECT, so the broker discards the Will ([MQTT-3.14.4-3]). */
  disconnect(): Promise<void> {
    return this.end(true);
  }

  /** Abrupt close, as on a power cut: the broker publishes the Will. */
  destroy(): Promise<void> {
    return this.end(false);
  }

  private end(clean: boolean): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    this.ending = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      if (clean && this.connected) {
        socket.end(generate({ cmd: 'disconnect' }));
      } else socket.destroy();
    });
  }

  private send(packet: Packet, now: () => number): void {
    this.socket?.write(generate(packet));
    this.lastSent = now();
  }
}
