import { ChildHandle } from '../core/child.handle';
import { benchModule, type BenchContext } from '../core/bench.context';
import type { ConnectPlan, ConnectReport, RunPlan, StopReport } from '../load/load.protocol';
import type { CountFeed } from './count.feed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The parent's side of one load-generator process: connect its devices, run, stop, count what the sink
 * got. While running, the sink's progress is relayed to the generator so that it can bound the backlog.
 */
export class LoadSession {
  private base = 0;
  private unsubscribe: (() => void) | undefined;

  private constructor(
    private readonly child: ChildHandle,
    readonly connect: ConnectReport,
  ) {}

  static async open(ctx: BenchContext, name: string, plan: ConnectPlan, timeoutMs = 180_000): Promise<LoadSession> {
    const child = ChildHandle.fork(benchModule('load/load-generator.child.js'), { name, logDir: ctx.logDir });
    try {
      await child.next('hello', 10_000);
      const report = (await child.request({ type: 'connect', ...plan }, 'connected', timeoutMs)) as ConnectReport;
      return new LoadSession(child, report);
    } catch (err) {
      child.kill();
      throw err;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  /** Starts publishing; the sink's count at this moment is the zero of `delivered`. */
  async start(feed: CountFeed, plan: RunPlan): Promise<void> {
    this.base = (await feed.fresh()).count;
    this.unsubscribe = feed.subscribe((count) => this.child.send({ type: 'delivered', delivered: count - this.base }));
    await this.child.request({ type: 'start', ...plan }, 'started', 10_000);
  }

  /** Stops sending and waits for outstanding PUBACKs (the acknowledged total is the loss reference). */
  async stop(timeoutMs = 15_000): Promise<StopReport> {
    const report = (await this.child.request({ type: 'stop', timeoutMs }, 'stopped', timeoutMs + 10_000)) as StopReport;
    return report;
  }

  /**
   * Waits until the sink has everything acknowledged, or its count has not moved for `quietMs`
   * (then the rest is lost), and returns what it delivered since start().
   */
  async drain(feed: CountFeed, acked: number, quietMs = 3000, timeoutMs = 90_000): Promise<number> {
    const until = performance.now() + timeoutMs;
    let last = feed.count;
    let lastMove = performance.now();
    while (feed.count - this.base < acked && performance.now() < until) {
      await sleep(50);
      if (feed.count !== last) {
        last = feed.count;
        lastMove = performance.now();
      } else if (performance.now() - lastMove > quietMs) break;
    }
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    return feed.count - this.base;
  }

  /** DISCONNECT every device and end the process. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    try {
      await this.child.request({ type: 'close' }, 'closed', 60_000);
    } finally {
      await this.child.stop();
    }
  }
}
