import type { RecordedEvent, SeqEvent } from '../store/recorded-event';
import { pushOf } from './live-message';

export interface LiveSessionDeps {
  /** Stored events after `seq`, in order, at most `limit` (the events table). */
  replay(after: number, limit: number): SeqEvent[];
  /** The newest stored sequence number. */
  lastSeq(): number;
  /** Every event up to this sequence number was pruned by the retention (0 when none was). */
  prunedThrough(): number;
  visible(event: RecordedEvent): boolean;
  send(message: Record<string, unknown>): void;
  /** Resolves when the client has room for more (socket buffer drained); replay pages wait for it. */
  drained(): Promise<void>;
  pageSize?: number;
}

/**
 * One client's view of the event stream, without gaps or duplicates across a (re)connection:
 * live events are buffered from the moment a resume starts; the store is replayed after `since`, page
 * by page (yielding between pages, so live events keep arriving meanwhile); then the buffer is flushed
 * skipping what the replay already covered, and the session goes live. `lastSeq` is the newest sequence
 * number accounted for (sent or not visible to this user): a client resumes from the highest `seq` it
 * saw (events, `synced` or `heartbeat`).
 */
export class LiveSession {
  private mode: 'replaying' | 'live' = 'replaying';
  private buffer: SeqEvent[] = [];
  private last = 0;
  private generation = 0;
  private closed = false;

  constructor(private readonly deps: LiveSessionDeps) {}

  get lastSeq(): number {
    return this.last;
  }

  /** Every live event, in sequence order (already persisted). */
  onLive(s: SeqEvent): void {
    if (this.closed) return;
    if (this.mode === 'replaying') this.buffer.push(s);
    else this.deliver(s);
  }

  /**
   * Starts (or restarts, on a resume message) the stream: replay after `since`, or nothing before now
   * when `since` is absent. A `since` the store cannot replay from gets a `reset` message and continues
   * from the store's newest event: one beyond the store (a client of another installation, a wiped data
   * directory), or one whose next events were pruned (a screen closed for longer than the retention;
   * checked before every page, as a pass of the retention may run between two of them).
   */
  async start(since: number | undefined): Promise<void> {
    const generation = ++this.generation;
    this.mode = 'replaying';
    this.buffer = [];
    const newest = this.deps.lastSeq();
    let from = since ?? newest;
    if (from > newest) {
      this.deps.send({ type: 'reset', seq: newest, message: `since=${from} is beyond the newest event ${newest}: reload the current state` });
      from = newest;
    }
    this.last = from;
    const pageSize = this.deps.pageSize ?? 500;
    for (;;) {
      const pruned = this.deps.prunedThrough();
      if (this.last < pruned) {
        const now = this.deps.lastSeq();
        this.deps.send({ type: 'reset', seq: now, message: `the events after ${this.last} up to ${pruned} were pruned (older than the retention): reload the current state` });
        this.last = now;
      }
      const page = this.deps.replay(this.last, pageSize);
      for (const s of page) this.deliver(s);
      if (page.length < pageSize) break;
      await this.deps.drained();
      if (this.closed || generation !== this.generation) return;
    }
    for (const s of this.buffer) this.deliver(s);
    this.buffer = [];
    this.mode = 'live';
    this.deps.send({ type: 'synced', seq: this.last });
  }

  close(): void {
    this.closed = true;
    this.buffer = [];
  }

  private deliver(s: SeqEvent): void {
    if (s.seq <= this.last) return;
    this.last = s.seq;
    if (this.deps.visible(s.event)) this.deps.send(pushOf(s));
  }
}
