import { eventTopic, statusTopic, telemetryTopic } from '@hearthbeat/contracts';
import { Rng } from '../core/prng.util';
import type { SimDevice } from '../devices/device-action.types';

export interface LogLine {
  /** Receive time: when the platform would have the message. */
  t: number;
  /** The whole JSON line, without the newline. */
  text: string;
}

/** MQTT 3.1.1 [MQTT-3.1.2-24]: the broker gives up on a client 1.5 keep-alive periods after its last packet. */
export const WILL_AFTER_KEEPALIVES = 1.5;

/** Network delay by device kind: NB-IoT meters are slow, detectors less so, lift terminals (4G/wired) quick. */
const DELAY: Record<SimDevice['kind'], { base: number; mean: number; cap: number }> = {
  water_meter: { base: 800, mean: 1500, cap: 15_000 },
  smoke_alarm: { base: 300, mean: 700, cap: 8_000 },
  elevator: { base: 40, mean: 120, cap: 2_000 },
};

/**
 * One device's message log lines in receive order. Receive time is the send time plus a seeded network
 * delay, never earlier than the device's previous message (one TCP connection keeps order). When the
 * device drops off without a DISCONNECT, the broker publishes its Will `{"online":false}` 1.5 keep-alives
 * later, unless the device is back first.
 */
export function* messageLines(device: SimDevice, seed: string, keepaliveS: number): Generator<LogLine, void> {
  const rng = Rng.derive(seed, device.id, 'network');
  const delay = DELAY[device.kind];
  const topics = { telemetry: telemetryTopic(device.id), event: eventTopic(device.id), status: statusTopic(device.id) };
  const willAfter = Math.round(keepaliveS * 1000 * WILL_AFTER_KEEPALIVES);
  const line = (t: number, topic: string, payload: unknown): LogLine => ({ t, text: `{"t":${t},"topic":"${topic}","payload":${JSON.stringify(payload)}}` });
  let lastT = Number.NEGATIVE_INFINITY;
  let willAt: number | undefined;
  let offline = false;
  const received = (at: number) => {
    lastT = Math.max(lastT, at + Math.round(Math.min(delay.cap, delay.base + rng.exponential(delay.mean))));
    return lastT;
  };
  const stream = device.stream();
  for (let r = stream.next(); !r.done; r = stream.next()) {
    const a = r.value;
    if (a.type === 'offline') {
      offline = true;
      willAt = a.at + willAfter;
    } else if (a.type === 'online') {
      if (willAt !== undefined && willAt <= a.at) {
        lastT = Math.max(lastT, willAt);
        yield line(lastT, topics.status, { online: false });
      }
      willAt = undefined;
      offline = false;
      yield line(received(a.at), topics.status, { online: true });
    } else if (!offline) {
      yield line(received(a.at), topics[a.channel], a.payload);
    }
  }
}
