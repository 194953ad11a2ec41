import mqtt from 'mqtt';
// Test support shared by every project (scope:testing); the sim's scope admits only shared libs.
import { waitFor } from '@hearthbeat/testing';

export interface CountingSubscriber {
  /** Messages received, by the last topic level (telemetry, event, status). */
  counts: Map<string, number>;
  total(): number;
  /** Payload texts received on topics for which `keep` returned true. */
  kept: { topic: string; payload: string }[];
  /** Resolves once `total()` reaches `n` or rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * An independent client (mqtt.js, not the simulator's own) subscribed QoS 1 to every device topic,
 * counting what the broker delivers.
 */
export async function countingSubscriber(
  url: string,
  keep: (topic: string) => boolean = () => false,
  login: { username: string; password: string } | undefined = undefined,
): Promise<CountingSubscriber> {
  const clientId = login?.username ?? `counter-${process.pid}-${Date.now()}`;
  const client = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 0, ...(login ?? {}) });
  const counts = new Map<string, number>();
  const kept: { topic: string; payload: string }[] = [];
  let total = 0;
  client.on('message', (topic, payload) => {
    const channel = topic.slice(topic.lastIndexOf('/') + 1);
    counts.set(channel, (counts.get(channel) ?? 0) + 1);
    total++;
    if (keep(topic)) kept.push({ topic, payload: payload.toString() });
  });
  await client.subscribeAsync('hb/v1/#', { qos: 1 });
  return {
    counts,
    kept,
    total: () => total,
    waitFor: async (n, timeoutMs) => {
      await waitFor(`${n} messages (received ${total})`, () => total >= n, timeoutMs);
    },
    close: () => client.endAsync(),
  };
}
