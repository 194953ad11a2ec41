import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { ALL_DEVICES_FILTERS } from '@hearthbeat/contracts';

export interface IngestOptions {
  url: string;
  username: string;
  password: string;
  /** A fixed client id with a persistent session, so QoS 1 messages queue while the engine is down. */
  clientId: string;
  onMessage: (topic: string, payload: Buffer) => void;
  onConnectionChange?: (connected: boolean) => void;
}

/**
 * Subscribes as a `service` user to every device's telemetry, event and status topics (QoS 1).
 * MQTT.js emits 'message' before it sends the PUBACK, so a handler that persists synchronously has
 * stored the message's effects before the broker forgets it: a crash in between means redelivery,
 * which the rules core drops as a duplicate.
 */
export class MqttIngest {
  private client?: MqttClient;
  connected = false;

  constructor(private readonly opts: IngestOptions) {}

  async start(): Promise<void> {
    const options: IClientOptions = {
      clientId: this.opts.clientId,
      username: this.opts.username,
      password: this.opts.password,
      clean: false,
      protocolVersion: 4,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    };
    // Handlers go on before the CONNECT: a persistent session's queued messages follow the CONNACK at
    // once, and a message emitted with no listener would be acknowledged and lost.
    const client = connect(this.opts.url, options);
    this.client = client;
    client.on('message', (topic, payload) => this.opts.onMessage(topic, payload));
    client.on('connect', () => this.setConnected(true));
    client.on('close', () => this.setConnected(false));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        client.end(true);
        reject(err);
      };
      client.once('connect', () => {
        client.off('error', onError);
        resolve();
      });
      client.once('error', onError);
    });
    const granted = await client.subscribeAsync(ALL_DEVICES_FILTERS.map((f) => f), { qos: 1 });
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length) throw new Error(`broker refused subscriptions: ${refused.map((g) => g.topic).join(', ')}`);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.endAsync();
    this.setConnected(false);
  }

  private setConnected(v: boolean): void {
    if (this.connected === v) return;
    this.connected = v;
    this.opts.onConnectionChange?.(v);
  }
}
