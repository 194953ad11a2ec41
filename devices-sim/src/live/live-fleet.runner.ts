import { performance } from 'node:perf_hooks';
import { eventTopic, statusTopic, telemetryTopic, type DevicePublishChannel } from '@hearthbeat/contracts';
import { MinHeap } from '../core/heap.util';
import type { DeviceAction, DeviceStream, SimDevice } from '../devices/device-action.types';
import { DeviceConnection, type BrokerAddress } from './device.connection';
import { newCounters, type LiveCounters } from './progress.reporter';

export interface LiveFleetOptions {
  address: BrokerAddress;
  devices: SimDevice[];
  /** Secrets by device id (absent: connect without a password). */
  secrets: Map<string, string>;
  keepaliveS: number;
  /** Simulated start (epoch ms) and speed: simulated ms per wall ms. */
  simStart: number;
  speed: number;
  /** Connections opened at once. */
  concurrency: number;
  /** Unacknowledged publishes over the whole fleet before the scheduler waits: back-pressure. */
  maxInflight: number;
}

interface Slot {
  index: number;
  device: SimDevice;
  stream: DeviceStream;
  next: DeviceAction | undefined;
  conn: DeviceConnection;
  topics: { telemetry: string; event: string; status: string };
  /** In a simulated outage: no reconnect until the stream says `online`. */
  simOffline: boolean;
  reconnecting: boolean;
}

const ONLINE = JSON.stringify({ online: true });
const OFFLINE = JSON.stringify({ online: false });
/** Work done per scheduler turn before yielding to I/O, so that acks and the display keep flowing. */
const TURN_BUDGET = 2000;
const RECONNECT_DELAY_MS = 3000;

/**
 * Runs a fleet against a broker: one connection per device, all driven by a single scheduler (a heap of
 * each device's next action on the simulated clock, one timer) and one keep-alive sweep a second.
 */
export class LiveFleet {
  readonly counters: LiveCounters;
  private readonly slots: Slot[];
  private readonly heap = new MinHeap<Slot>((a, b) => dueAt(a) < dueAt(b) || (dueAt(a) === dueAt(b) && a.index < b.index));
  private timer: NodeJS.Timeout | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private wallStart = 0;
  private stopped = false;
  lagMs = 0;
  readonly now = () => performance.now();

  constructor(private readonly opts: LiveFleetOptions) {
    this.counters = newCounters(opts.devices.length);
    this.slots = opts.devices.map((device, index) => {
      const topics = { telemetry: telemetryTopic(device.id), event: eventTopic(device.id), status: statusTopic(device.id) };
      const password = opts.secrets.get(device.id);
      const slot: Slot = {
        index,
        device,
        stream: device.stream(),
        next: undefined,
        topics,
        simOffline: false,
        reconnecting: false,
        conn: new DeviceConnection(
          {
            address: opts.address,
            clientId: device.id,
            username: device.id,
            ...(password !== undefined ? { password } : {}),
            keepaliveS: opts.keepaliveS,
            will: { topic: topics.status, payload: OFFLINE },
            connectTimeoutMs: 15_000,
          },
          { acked: () => this.counters.acked++, closed: (expected, unacked) => this.onClosed(slot, expected, unacked) },
        ),
      };
      return slot;
    });
  }

  /** The simulated clock now. */
  simNow(): number {
    return this.opts.simStart + (this.now() - this.wallStart) * this.opts.speed;
  }

  /** Publishes still waiting for their PUBACK. */
  get inflight(): number {
    return this.counters.published - this.counters.acked - this.counters.unacked;
  }

  /** Opens every connection, `concurrency` at a time; failures are counted and retried in the background. */
  async connectAll(): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < this.slots.length && !this.stopped) {
        const slot = this.slots[next++] as Slot;
        await this.open(slot).catch(() => this.retryLater(slot));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.opts.concurrency) }, worker));
  }

  /** Starts the simulated clock and the scheduler. */
  start(): void {
    this.wallStart = this.now();
    for (const slot of this.slots) this.advance(slot);
    this.keepalive = setInterval(() => this.sweepKeepalive(), 1000);
    this.schedule(0);
  }

  /**
   * Stops the scheduler and ends every connection. By default each device says goodbye as an orderly
   * device does: `{"online":false}` retained on its status topic, then a clean DISCONNECT (which makes the
   * broker discard the Will, [MQTT-3.14.4-3]). With `kill` the sockets are destroyed instead, as on a
   * power cut, and the broker publishes each Will. Outstanding PUBACKs are awaited up to `drainMs`.
   */
  async stop(kill: boolean, drainMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.keepalive) clearInterval(this.keepalive);
    if (!kill) for (const slot of this.slots) if (slot.conn.connected) this.publish(slot, 'status', OFFLINE, true);
    const until = this.now() + drainMs;
    while (this.inflight > 0 && this.now() < until && this.counters.connected > 0) await sleep(20);
    await Promise.all(this.slots.map((s) => withTimeout(kill ? s.conn.destroy() : s.conn.disconnect(), 5000)));
  }

  private async open(slot: Slot): Promise<void> {
    await slot.conn.connect(this.now);
    this.counters.connected++;
    // protocol.md: {"online":true} retained on connect.
    this.publish(slot, 'status', ONLINE, true);
  }

  private retryLater(slot: Slot): void {
    this.counters.errors++;
    if (this.stopped || slot.simOffline || slot.reconnecting) return;
    slot.reconnecting = true;
    setTimeout(() => {
      slot.reconnecting = false;
      if (this.stopped || slot.simOffline || slot.conn.connected) return;
      this.open(slot).catch(() => this.retryLater(slot));
    }, RECONNECT_DELAY_MS).unref();
  }

  private onClosed(slot: Slot, expected: boolean, unacked: number): void {
    this.counters.connected--;
    this.counters.unacked += unacked;
    if (!expected) this.retryLater(slot);
  }

  private publish(slot: Slot, channel: DevicePublishChannel, payload: string, retain: boolean): void {
    if (slot.conn.publish(slot.topics[channel], payload, retain, this.now)) {
      this.counters.published++;
      this.counters.byChannel[channel]++;
    } else this.counters.dropped++;
  }

  private advance(slot: Slot): void {
    const r = slot.stream.next();
    slot.next = r.done ? undefined : r.value;
    if (slot.next) this.heap.push(slot);
  }

  private perform(slot: Slot, a: DeviceAction): void {
    if (a.type === 'publish') {
      const payload = typeof a.payload === 'string' ? a.payload : JSON.stringify(a.payload);
      this.publish(slot, a.channel, payload, a.retain ?? false);
    } else if (a.type === 'offline') {
      slot.simOffline = true;
      this.counters.outages++;
      void slot.conn.destroy();
    } else if (slot.simOffline) {
      slot.simOffline = false;
      this.open(slot).catch(() => this.retryLater(slot));
    }
  }

  private turn(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const simNow = this.simNow();
    let budget = TURN_BUDGET;
    for (let top = this.heap.peek(); top?.next && top.next.at <= simNow; top = this.heap.peek()) {
      if (budget-- <= 0 || this.inflight >= this.opts.maxInflight) break;
      this.heap.pop();
      const action = top.next;
      this.perform(top, action);
      this.advance(top);
    }
    const head = this.heap.peek()?.next;
    this.lagMs = head && head.at < simNow ? simNow - head.at : 0;
    if (!head) return;
    if (this.lagMs > 0) this.schedule(this.inflight >= this.opts.maxInflight ? 5 : 0);
    else this.schedule(Math.min(1000, (head.at - simNow) / this.opts.speed));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // setImmediate semantics for 0 would starve timers; a 0 ms timeout lets I/O (acks) run between turns.
    this.timer = setTimeout(() => this.turn(), Math.max(0, delayMs));
  }

  /** [MQTT-3.1.2-23]: send something within each keep-alive period; a PINGREQ after half of it idle. */
  private sweepKeepalive(): void {
    const now = this.now();
    const idle = (this.opts.keepaliveS * 1000) / 2;
    for (const slot of this.slots) if (slot.conn.connected && now - slot.conn.lastSent >= idle) slot.conn.ping(this.now);
  }
}

function dueAt(slot: Slot): number {
  return slot.next?.at ?? Number.POSITIVE_INFINITY;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits for `p` at most `ms`; the timer is cleared so that nothing keeps the process alive afterwards. */
function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
