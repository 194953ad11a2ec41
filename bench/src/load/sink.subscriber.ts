import { MqttLink } from '../mqtt/mqtt.link';
import { writePuback } from '../mqtt/wire';

export interface SinkOptions {
  host: string;
  port: number;
  clientId: string;
  username?: string;
  password?: string;
  filters: readonly string[];
}

/**
 * The counting subscriber of the broker-only measurements: one QoS 1 subscription, every PUBLISH counted
 * and acknowledged. PUBACKs for one incoming chunk leave in one write, so the subscriber stays cheap
 * next to the broker it measures.
 */
export class SinkSubscriber {
  received = 0;
  private link: MqttLink | undefined;
  private acks = Buffer.allocUnsafe(4 * 4096);
  private ackLen = 0;
  private flushQueued = false;

  async start(o: SinkOptions): Promise<void> {
    const link = await MqttLink.connect({
      host: o.host,
      port: o.port,
      clientId: o.clientId,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      keepaliveS: 60,
      clean: true,
    });
    link.onPublish = (_f, qos, messageId) => {
      this.received++;
      if (qos > 0) this.queueAck(messageId);
    };
    this.link = link;
    const granted = await link.subscribe(o.filters, 1);
    if (granted.some((g) => g === 0x80)) throw new Error(`subscription refused: ${o.filters.join(', ')}`);
  }

  async stop(): Promise<void> {
    this.flush();
    await this.link?.disconnect();
    this.link = undefined;
  }

  private queueAck(messageId: number): void {
    if (this.ackLen + 4 > this.acks.length) this.flush();
    this.ackLen = writePuback(this.acks, this.ackLen, messageId);
    if (!this.flushQueued) {
      this.flushQueued = true;
      // After the current chunk's frames: one write for all of them.
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.ackLen === 0 || !this.link) return;
    this.link.write(Buffer.from(this.acks.subarray(0, this.ackLen)));
    this.ackLen = 0;
  }
}
