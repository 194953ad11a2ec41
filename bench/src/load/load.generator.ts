import { MqttLink } from '../mqtt/mqtt.link';
import { sourceFor, type PayloadSource } from '../fleet/load-payloads';
import type { ConnectPlan, ConnectReport, RunPlan, StopReport } from './load.protocol';

interface Conn {
  link: MqttLink;
  /** Position in the connect plan's device list (and in startIndex / nextIndex). */
  device: number;
  src: PayloadSource | undefined;
  inflight: number;
}

/** How often the rate-limited mode hands out send credit. */
const TICK_MS = 5;

/**
 * Device connections publishing QoS 1 telemetry with a window of unacknowledged messages each, either as
 * fast as the broker acknowledges (throughput) or at a fixed total rate (background load). It also
 * respects an end-to-end backlog bound: when the sink (subscriber or engine) falls behind the broker's
 * acknowledgements by more than `maxBacklog`, sending pauses until the parent reports progress.
 */
export class LoadGenerator {
  private conns: Conn[] = [];
  private plan: RunPlan | undefined;
  private running = false;
  private sent = 0;
  private acked = 0;
  private bytes = 0;
  private delivered = 0;
  private stalled: Conn[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private credit = 0;
  private cursor = 0;
  private lastTick = 0;
  private keepaliveMs = 60_000;
  private deviceCount = 0;
  private startIndex: number[] = [];

  async connect(plan: ConnectPlan): Promise<ConnectReport> {
    const t0 = performance.now();
    const reasons: Record<string, number> = {};
    const conns: Conn[] = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        const dev = plan.devices[i];
        if (!dev) return;
        const localAddress = plan.localAddresses[Math.floor(((plan.firstIndex ?? 0) + i) / plan.perAddress) % Math.max(1, plan.localAddresses.length)];
        try {
          const link = await MqttLink.connect({
            host: plan.host,
            port: plan.port,
            ...(localAddress ? { localAddress } : {}),
            clientId: dev.id,
            username: dev.id,
            password: dev.secret,
            keepaliveS: plan.keepaliveS,
          });
          const conn: Conn = { link, device: i, src: undefined, inflight: 0 };
          link.onAck = () => this.onAck(conn);
          conns.push(conn);
        } catch (err) {
          const reason = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message.replace(/ \(.*\)$/, '').replace(/ for \S+$/, '')) : String(err);
          reasons[reason] = (reasons[reason] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, plan.concurrency) }, worker));
    this.conns = conns.sort((a, b) => a.device - b.device);
    this.deviceCount = plan.devices.length;
    this.keepaliveMs = plan.keepaliveS * 1000;
    this.startPings();
    return { type: 'connected', connected: conns.length, failed: plan.devices.length - conns.length, reasons, seconds: (performance.now() - t0) / 1000 };
  }

  /** Starts publishing; `devices` must be the connect plan's devices, in the same order. */
  start(plan: RunPlan, devices: ConnectPlan['devices']): void {
    this.plan = plan;
    this.sent = this.acked = this.bytes = this.delivered = 0;
    this.startIndex = plan.startIndex;
    for (const c of this.conns) {
      const dev = devices[c.device];
      if (dev) c.src = sourceFor(dev, plan.waterEpoch, plan.startIndex[c.device] ?? 0);
    }
    this.running = true;
    if (plan.ratePerS > 0) {
      this.lastTick = performance.now();
      this.ticker = setInterval(() => this.tick(), TICK_MS);
    } else {
      for (const c of this.conns) this.fill(c);
    }
  }

  /** Progress at the sink since start(): lets a paused generator resume. */
  setDelivered(delivered: number): void {
    this.delivered = delivered;
    if (!this.running || this.paused()) return;
    const resume = this.stalled;
    this.stalled = [];
    for (const c of resume) this.fill(c);
  }

  /** Stops sending, waits (up to `timeoutMs`) for outstanding acknowledgements and reports. */
  async stop(timeoutMs: number): Promise<StopReport> {
    this.running = false;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    const until = performance.now() + timeoutMs;
    while (this.sent > this.acked && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    return {
      type: 'stopped',
      sent: this.sent,
      acked: this.acked,
      unacked: this.sent - this.acked,
      nextIndex: this.nextIndex(),
      payloadBytesMean: this.sent ? this.bytes / this.sent : 0,
    };
  }

  get counts(): { sent: number; acked: number; connections: number } {
    return { sent: this.sent, acked: this.acked, connections: this.conns.length };
  }

  private nextIndex(): number[] {
    const out = Array.from({ length: this.deviceCount }, (_, i) => this.startIndex[i] ?? 0);
    for (const c of this.conns) if (c.src) out[c.device] = c.src.index;
    return out;
  }

  /** DISCONNECT every connection (no Wills) and stop the keep-alive pings. */
  async close(): Promise<void> {
    this.running = false;
    if (this.ticker) clearInterval(this.ticker);
    if (this.pinger) clearInterval(this.pinger);
    const live = this.conns;
    this.conns = [];
    for (let i = 0; i < live.length; i += 500) await Promise.all(live.slice(i, i + 500).map((c) => c.link.disconnect()));
  }

  private paused(): boolean {
    return this.plan !== undefined && this.acked - this.delivered > this.plan.maxBacklog;
  }

  private onAck(c: Conn): void {
    c.inflight--;
    this.acked++;
    if (!this.running || !this.plan || this.plan.ratePerS > 0) return;
    if (this.paused()) this.stalled.push(c);
    else this.fill(c);
  }

  private fill(c: Conn): void {
    const window = this.plan?.window ?? 1;
    while (c.inflight < window && this.running && c.src && c.link.isOpen) this.publish(c);
  }

  private publish(c: Conn): void {
    const src = c.src;
    if (!src) return;
    if (this.sent >= (this.plan?.maxMessages ?? Infinity)) {
      this.running = false;
      return;
    }
    const payload = src.next();
    c.link.publish(src.topic, payload);
    c.inflight++;
    this.sent++;
    this.bytes += payload.length;
  }

  /** Rate mode: credit accrues with time and goes round-robin to connections with room in their window. */
  private tick(): void {
    const plan = this.plan;
    if (!plan || !this.running) return;
    const now = performance.now();
    // At most two ticks' worth of credit: a stalled event loop must not turn into a burst.
    this.credit = Math.min(this.credit + (plan.ratePerS * (now - this.lastTick)) / 1000, (plan.ratePerS * 2 * TICK_MS) / 1000 + 1);
    this.lastTick = now;
    if (this.paused()) return;
    const n = this.conns.length;
    if (n === 0) return;
    let idle = 0;
    while (this.credit >= 1 && idle < n && this.running) {
      const c = this.conns[this.cursor] as Conn;
      this.cursor = (this.cursor + 1) % n;
      if (c.inflight >= plan.window || !c.src || !c.link.isOpen) {
        idle++;
        continue;
      }
      idle = 0;
      this.publish(c);
      this.credit--;
    }
  }

  /** PINGREQ for connections that have been quiet for most of their keep-alive (idle connection tests). */
  private startPings(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = setInterval(() => {
      const quietSince = performance.now() - this.keepaliveMs * 0.6;
      for (const c of this.conns) if (c.link.lastSentAt < quietSince) c.link.ping();
    }, 5000);
    this.pinger.unref();
  }
}
