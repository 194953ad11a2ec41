import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { PASSWORDS, SECRETS, type TestDeviceId, type TestUser } from './registry.fixture';

let counter = 0;

/** An mqtt.js client that never reconnects by itself (tests decide when to reconnect). */
export function connect(url: string, opts: IClientOptions): Promise<MqttClient> {
  return mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 10_000, ...opts }, false);
}

export const tcpUrl = (port: number): string => `mqtt://127.0.0.1:${port}`;

export function connectDevice(port: number, id: TestDeviceId, opts: IClientOptions = {}): Promise<MqttClient> {
  return connect(tcpUrl(port), { clientId: id, username: id, password: SECRETS[id], ...opts });
}

export function connectUser(port: number, user: TestUser, opts: IClientOptions = {}): Promise<MqttClient> {
  return connect(tcpUrl(port), { clientId: `${user}-${process.pid}-${++counter}`, username: user, password: PASSWORDS[user], ...opts });
}

/** What a refused CONNECT answered: the CONNACK return code mqtt.js reports as the error's `code`. */
export async function connackCode(url: string, opts: IClientOptions): Promise<number> {
  try {
    const client = await connect(url, opts);
    await client.endAsync();
    return 0;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'number') throw err;
    return code;
  }
}

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
  qos: number;
}

/** Everything a client receives, with promises for the next message matching a test. */
export class Inbox {
  readonly messages: Received[] = [];
  private waiters: { test: (m: Received) => boolean; resolve: (m: Received) => void }[] = [];

  constructor(client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const m = { topic, text: payload.toString('utf8'), retain: packet.retain, qos: packet.qos };
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.test(m) ? (w.resolve(m), false) : true));
    });
  }

  /** Resolves with the first message (already received or to come) that passes `test`. */
  waitFor(test: (m: Received) => boolean): Promise<Received> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  on(topic: string, textContains?: string): Promise<Received> {
    return this.waitFor((m) => m.topic === topic && (textContains === undefined || m.text.includes(textContains)));
  }
}
