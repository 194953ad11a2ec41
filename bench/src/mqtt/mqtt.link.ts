import * as net from 'node:net';
import { generate } from 'mqtt-packet';
import { FrameReader, PACKET, encodePublishQos1, type Frame } from './wire';

export interface LinkOptions {
  host: string;
  port: number;
  /** Source address (127.0.0.x): each source address has its own ~28,000 ephemeral ports. */
  localAddress?: string;
  clientId: string;
  username?: string;
  password?: string;
  keepaliveS: number;
  clean?: boolean;
  connectTimeoutMs?: number;
}

/** CONNACK return codes of MQTT 3.1.1 ([MQTT-3.2.2.3]). */
export class ConnectRefusedError extends Error {
  constructor(readonly returnCode: number) {
    super(`CONNACK return code ${returnCode}`);
    this.name = 'ConnectRefusedError';
  }
}

/**
 * One MQTT 3.1.1 connection over a bare socket: CONNECT/SUBSCRIBE/PINGREQ/DISCONNECT built by
 * mqtt-packet, QoS 1 PUBLISH and PUBACK by hand (wire.ts). No timers, stores or reconnects: a load
 * generator holds thousands of these, and the owner decides what to send when.
 */
export class MqttLink {
  /** A PUBACK for one of our QoS 1 publishes. */
  onAck: (messageId: number) => void = () => undefined;
  /** A PUBLISH from the broker (subscriber links); the frame is only valid during the call. */
  onPublish: (frame: Frame, qos: number, messageId: number) => void = () => undefined;
  onClose: (hadError: boolean) => void = () => undefined;
  lastSentAt = 0;
  private nextId = 0;
  private closed = false;
  private subackWaiter: ((codes: number[]) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {}

  static connect(o: LinkOptions): Promise<MqttLink> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: o.host, port: o.port, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
      socket.setNoDelay(true);
      const link = new MqttLink(socket);
      let settled = false;
      const timer = setTimeout(() => fail(new Error(`CONNACK timeout for ${o.clientId}`)), o.connectTimeoutMs ?? 30_000);
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const reader = new FrameReader((f) => {
        if (!settled && f.type === PACKET.CONNACK) {
          const code = f.buf[f.start + 1] as number;
          if (code !== 0) return fail(new ConnectRefusedError(code));
          settled = true;
          clearTimeout(timer);
          resolve(link);
          return;
        }
        link.frame(f);
      });
      socket.on('data', (chunk: Buffer) => {
        // Whatever the handlers send in answer to one chunk leaves in one write.
        socket.cork();
        reader.push(chunk);
        socket.uncork();
      });
      socket.once('error', (err) => fail(err));
      socket.on('error', () => undefined);
      socket.once('close', (hadError) => {
        link.closed = true;
        fail(new Error(`connection closed before CONNACK (${o.clientId})`));
        link.onClose(hadError);
      });
      socket.once('connect', () => {
        link.send(
          generate({
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: 4,
            clientId: o.clientId,
            clean: o.clean ?? true,
            keepalive: o.keepaliveS,
            ...(o.username !== undefined ? { username: o.username } : {}),
            ...(o.password !== undefined ? { password: Buffer.from(o.password) } : {}),
          }),
        );
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a QoS 1 PUBLISH and returns its packet id (1..65535, wrapping). */
  publish(topic: Buffer, payload: string): number {
    this.nextId = this.nextId >= 65_535 ? 1 : this.nextId + 1;
    this.send(encodePublishQos1(topic, this.nextId, payload));
    return this.nextId;
  }

  subscribe(filters: readonly string[], qos: 0 | 1): Promise<number[]> {
    const done = new Promise<number[]>((resolve) => (this.subackWaiter = resolve));
    this.send(generate({ cmd: 'subscribe', messageId: 1, subscriptions: filters.map((topic) => ({ topic, qos })) }));
    return done;
  }

  write(buf: Buffer): void {
    this.send(buf);
  }

  ping(): void {
    this.send(generate({ cmd: 'pingreq' }));
  }

  /**
   * DISCONNECT, then close once the broker has closed ([MQTT-3.14.4-1]): a clean goodbye (no Will), and
   * the side that closes first keeps the TIME_WAIT, so the broker does and the client's ephemeral ports
   * are free at once for the next tens of thousands of connections.
   */
  disconnect(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.once('end', () => this.socket.end());
      this.socket.write(generate({ cmd: 'disconnect' }));
      setTimeout(() => this.socket.destroy(), 3000).unref();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private send(buf: Buffer): void {
    if (this.closed) return;
    this.lastSentAt = performance.now();
    this.socket.write(buf);
  }

  private frame(f: Frame): void {
    switch (f.type) {
      case PACKET.PUBACK:
        this.onAck(f.buf.readUInt16BE(f.start));
        return;
      case PACKET.PUBLISH: {
        const qos = (f.flags >> 1) & 3;
        const topicLen = f.buf.readUInt16BE(f.start);
        const messageId = qos > 0 ? f.buf.readUInt16BE(f.start + 2 + topicLen) : 0;
        this.onPublish(f, qos, messageId);
        return;
      }
      case PACKET.SUBACK: {
        const codes: number[] = [];
        for (let i = f.start + 2; i < f.end; i++) codes.push(f.buf[i] as number);
        this.subackWaiter?.(codes);
        this.subackWaiter = undefined;
        return;
      }
      default:
        return; // PINGRESP and anything else: nothing to do
    }
  }
}
