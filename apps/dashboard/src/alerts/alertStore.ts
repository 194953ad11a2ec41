import type { AlertView } from '../api/schemas';
import type { AlertPush } from '../live/messages';

/**
 * The alerts a screen knows, merged from REST snapshots and live pushes. Pushes that arrive while a
 * snapshot is loading are held and applied on top of it, in order: the snapshot is at least as new as
 * the stream's start, and every later change is in the held pushes, so the result is never older than
 * either source (a snapshot answered just before a push must not undo that push).
 */
export class AlertStore {
  private readonly byId = new Map<string, AlertView>();
  private held: AlertPush[] | undefined;
  private version = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Bumped on every change: React re-renders from it. */
  get revision(): number {
    return this.version;
  }

  get(id: string): AlertView | undefined {
    return this.byId.get(id);
  }

  all(): AlertView[] {
    return [...this.byId.values()];
  }

  /** From now until `endLoad`, pushes are held. */
  beginLoad(): void {
    this.held ??= [];
  }

  /**
   * Replaces what is known of the snapshot's kind (`replace` picks which alerts the snapshot covers,
   * e.g. the unresolved ones), then applies the pushes held meanwhile.
   */
  endLoad(snapshot: readonly AlertView[], replace: (a: AlertView) => boolean): void {
    for (const [id, a] of this.byId) if (replace(a)) this.byId.delete(id);
    for (const a of snapshot) this.byId.set(a.id, a);
    const held = this.held ?? [];
    this.held = undefined;
    for (const p of held) this.byId.set(p.alert.id, p.alert);
    this.version++;
  }

  /** A failed load: apply what was held so that nothing pushed is lost. */
  abortLoad(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const p of held) this.byId.set(p.alert.id, p.alert);
    this.version++;
  }

  /** Adds alerts from a side query (resolved history) without replacing anything newer. */
  merge(alerts: readonly AlertView[]): void {
    for (const a of alerts) if (!this.byId.has(a.id)) this.byId.set(a.id, a);
    this.version++;
  }

  /** Returns whether the push changed the visible state right away (false while a load holds it). */
  push(p: AlertPush): boolean {
    if (this.held) {
      this.held.push(p);
      return false;
    }
    this.byId.set(p.alert.id, p.alert);
    this.version++;
    return true;
  }

  /** Resolved alerts older than `before` are forgotten, so that a screen left open for days stays small. */
  prune(before: number): void {
    let removed = false;
    for (const [id, a] of this.byId) {
      if (a.state === 'resolved' && (a.resolvedAt ?? a.lastSeenAt) < before) {
        this.byId.delete(id);
        removed = true;
      }
    }
    if (removed) this.version++;
  }
}
