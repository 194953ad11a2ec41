/** Live counters, shared by the runner and the display. */
export interface LiveCounters {
  devices: number;
  connected: number;
  published: number;
  /** Published, by topic channel. */
  byChannel: { telemetry: number; event: number; status: number };
  acked: number;
  /** Publishes whose connection closed before their PUBACK (simulated outages, broker gone). */
  unacked: number;
  errors: number;
  /** Messages due while their device had no connection (counted, not sent). */
  dropped: number;
  /** Simulated outages played (sockets destroyed so that the broker fires the Will). */
  outages: number;
}

export function newCounters(devices: number): LiveCounters {
  return { devices, connected: 0, published: 0, byChannel: { telemetry: 0, event: 0, status: 0 }, acked: 0, unacked: 0, errors: 0, dropped: 0, outages: 0 };
}

export interface ProgressView {
  counters: LiveCounters;
  /** Simulated clock, as a local date-time label. */
  simTime: string;
  /** How far the scheduler is behind the simulated clock, ms. */
  lagMs: number;
  phase: 'connecting' | 'running' | 'stopping' | 'done';
}

export type ProgressMode = 'tty' | 'plain' | 'none';

/**
 * Terminal display. On a TTY one line is redrawn in place at most twice a second; otherwise a plain line
 * is printed every `plainEveryMs` (5 s by default) so that logs stay readable. The rate is messages
 * published per second since the previous line.
 */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private lastPublished = 0;
  private lastAt = 0;
  private peakRate = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly mode: ProgressMode,
    private readonly now: () => number,
    private readonly plainEveryMs = 5000,
  ) {}

  start(view: () => ProgressView): void {
    if (this.mode === 'none') return;
    this.lastAt = this.now();
    const every = this.mode === 'tty' ? 500 : this.plainEveryMs;
    this.timer = setInterval(() => this.draw(view()), every);
    this.timer.unref();
  }

  /** Stops redrawing and prints the final counters on their own line. */
  finish(view: ProgressView, wallMs: number): string {
    if (this.timer) clearInterval(this.timer);
    const c = view.counters;
    const avg = wallMs > 0 ? (c.published * 1000) / wallMs : 0;
    const text =
      `final: devices ${c.devices}, published ${c.published}, acked ${c.acked}, unacked ${c.unacked}, errors ${c.errors}, dropped ${c.dropped}, ` +
      `outages ${c.outages}; ${avg.toFixed(0)} msg/s average, ${this.peakRate.toFixed(0)} msg/s peak over ${(wallMs / 1000).toFixed(1)} s; simulated clock ${view.simTime}`;
    if (this.mode === 'tty') this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
    return text;
  }

  private draw(view: ProgressView): void {
    const now = this.now();
    const c = view.counters;
    const rate = now > this.lastAt ? ((c.published - this.lastPublished) * 1000) / (now - this.lastAt) : 0;
    this.peakRate = Math.max(this.peakRate, rate);
    this.lastPublished = c.published;
    this.lastAt = now;
    const line =
      `[${view.phase}] sim ${view.simTime} | connected ${c.connected}/${c.devices} | published ${c.published} acked ${c.acked} ` +
      `errors ${c.errors} dropped ${c.dropped} | ${rate.toFixed(0)} msg/s | lag ${(view.lagMs / 1000).toFixed(1)} s`;
    this.out.write(this.mode === 'tty' ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}
