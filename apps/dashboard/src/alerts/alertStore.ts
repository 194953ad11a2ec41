import type { AlertView } from '../api/schemas';
import type { AlertPush } from '../live/messages';

/**
 * The alerts a screen knows, merged from REST snapshots and live pushes. Pushes that arrive while a
 * snapshot is loading are held and applied on top of it, in order: the snapshot is at least as new as
 * the stream's start, and every later change is in the held pushes, so the result is never older than
 * either source (a snapshot answered just before a push must not undo that push).
 *
 * The answer to a person's own action (applied at once, before its live push) and the live pushes race:
 * the push of a resolution can overtake the answer to the acknowledgement before it, which then must not
 * bring the resolved alert back. Both carry a timeline position (a push the entry just appended, an
 * answer its whole timeline), and a change older than the one shown is dropped.
 */
export class AlertStore {
  private readonly byId = new Map<string, AlertView>();
  /** The timeline entry (`n`) each alert's shown state includes; absent when unknown (a snapshot's). */
  private readonly position = new Map<string, number>();
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
    for (const [id, a] of this.byId) if (replace(a)) this.forget(id);
    for (const a of snapshot) {
      this.byId.set(a.id, a);
      this.position.delete(a.id);
    }
    const held = this.held ?? [];
    this.held = undefined;
    for (const p of held) this.apply(p);
    this.version++;
  }

  /** A failed load: apply what was held so that nothing pushed is lost. */
  abortLoad(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const p of held) this.apply(p);
    this.version++;
  }

  /** Adds alerts from a side query (resolved history) without replacing anything newer. */
  merge(alerts: readonly AlertView[]): void {
    for (const a of alerts) if (!this.byId.has(a.id)) this.byId.set(a.id, a);
    this.version++;
  }

  /**
   * Returns whether the push changed the visible state right away (false while a load holds it, or when
   * it is older than what is shown).
   */
  push(p: AlertPush): boolean {
    if (this.held) {
      this.held.push(p);
      return false;
    }
    if (!this.apply(p)) return false;
    this.version++;
    return true;
  }

  private apply(p: AlertPush): boolean {
    const n = p.entry?.n;
    const shown = this.position.get(p.alert.id);
    if (n !== undefined && shown !== undefined && n < shown) return false;
    this.byId.set(p.alert.id, p.alert);
    if (n !== undefined) this.position.set(p.alert.id, n);
    else this.position.delete(p.alert.id);
    return true;
  }

  private forget(id: string): void {
    this.byId.delete(id);
    this.position.delete(id);
  }

  /** Resolved alerts older than `before` are forgotten, so that a screen left open for days stays small. */
  prune(before: number): void {
    let removed = false;
    for (const [id, a] of this.byId) {
      if (a.state === 'resolved' && (a.resolvedAt ?? a.lastSeenAt) < before) {
        this.forget(id);
        removed = true;
      }
    }
    if (removed) this.version++;
  }
}
