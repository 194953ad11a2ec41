import * as net from 'node:net';
import mqtt, { type Packet } from 'mqtt-packet';

/**
 * A bare TCP connection that speaks MQTT through mqtt-packet, or sends any bytes at all: for malformed
 * packets, SUBACK codes and clients that simply stop talking (keepalive).
 */
export class RawClient {
  readonly closed: Promise<void>;
  /** Every packet received from the broker, in order. */
  readonly received: Packet[] = [];
  private readonly packets: Packet[] = [];
  private waiters: { cmd: string; resolve: (p: Packet) => void }[] = [];

  private constructor(private readonly socket: net.Socket) {
    const parser = mqtt.parser({ protocolVersion: 4 });
    parser.on('packet', (p: Packet) => {
      this.received.push(p);
      const i = this.waiters.findIndex((w) => w.cmd === p.cmd);
      const waiter = i >= 0 ? this.waiters.splice(i, 1)[0] : undefined;
      if (waiter) waiter.resolve(p);
      else this.packets.push(p);
    });
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('error', () => undefined); // a reset by the broker is an expected outcome here
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Opens a connection and completes a CONNECT; rejects unless the CONNACK return code is 0. */
  static async connected(port: number, connect: { clientId: string; username?: string; password?: string; keepalive?: number; clean?: boolean }): Promise<RawClient> {
    const c = await RawClient.open(port);
    const connack = await c.connect(connect);
    if (connack.cmd !== 'connack' || connack.returnCode !== 0) throw new Error(`CONNACK ${JSON.stringify(connack)}`);
    return c;
  }

  connect(o: { clientId: string; username?: string; password?: string; keepalive?: number; clean?: boolean; will?: { topic: string; payload: string; qos?: 0 | 1; retain?: boolean } }): Promise<Packet> {
    this.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: o.clientId,
      clean: o.clean ?? true,
      keepalive: o.keepalive ?? 60,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: Buffer.from(o.password) } : {}),
      ...(o.will ? { will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: o.will.qos ?? 0, retain: o.will.retain ?? false } } : {}),
    });
    return this.next('connack');
  }

  send(packet: Packet | Buffer): void {
    this.socket.write(Buffer.isBuffer(packet) ? packet : mqtt.generate(packet));
  }

  publish(topic: string, payload: string | Buffer, qos: 0 | 1 = 0, messageId = 1): void {
    this.send({ cmd: 'publish', topic, payload, qos, retain: false, dup: false, ...(qos > 0 ? { messageId } : {}) });
  }

  /** The next packet of this type from the broker (already received or to come). */
  next(cmd: Packet['cmd']): Promise<Packet> {
    const i = this.packets.findIndex((p) => p.cmd === cmd);
    if (i >= 0) return Promise.resolve(this.packets.splice(i, 1)[0] as Packet);
    return new Promise((resolve) => this.waiters.push({ cmd, resolve }));
  }

  /** SUBSCRIBE and return the granted codes of the SUBACK (0x80 = refused). */
  async subscribe(topics: string[], messageId = 1): Promise<number[]> {
    this.send({ cmd: 'subscribe', messageId, subscriptions: topics.map((topic) => ({ topic, qos: 1 })) });
    const suback = await this.next('suback');
    if (suback.cmd !== 'suback') throw new Error('not a SUBACK');
    // mqtt-packet types granted as number[] | Object[]; in 3.1.1 it is a list of return codes.
    return suback.granted.map((g: unknown) => {
      if (typeof g !== 'number') throw new Error(`unexpected SUBACK entry ${JSON.stringify(g)}`);
      return g;
    });
  }

  /** Stops without DISCONNECT: the socket is destroyed (a reset), as a crashed device would. */
  kill(): void {
    this.socket.resetAndDestroy();
  }

  end(): void {
    this.socket.end();
  }
}
