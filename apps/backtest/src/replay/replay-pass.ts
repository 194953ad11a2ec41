import type { AlertFileLine, DeviceMessage, RuleOverrides } from '@hearthbeat/contracts';
import { RulesCore, alertFileLineOf, type CoreEvent, type CoreRegistry } from '@hearthbeat/rules-core';
import { withOverrides } from '../cli/rule-overrides';
import type { CallModel } from './call-model';
import { StaffModel, type StaffOptions } from './staff-model';

export interface PassOptions {
  name: string;
  registry: CoreRegistry;
  overrides: RuleOverrides;
  staff: StaffOptions;
  /** The residents' answers to check-in calls (answers.jsonl); without it calls go unanswered. */
  calls?: CallModel;
  /** Receives every alert state change (protocol.md alert-file line), in time order. */
  onLine(line: AlertFileLine): void;
}

/**
 * One configuration of the rules replayed in virtual time: a RulesCore (the same class the live engine
 * drives), the modelled staff, and the alert lines it produces. Several passes can share one read of
 * the log (the evaluation's platform and fixed-rule runs).
 */
export class ReplayPass {
  readonly name: string;
  readonly core: RulesCore;
  readonly staff: StaffModel;
  readonly calls: CallModel | undefined;
  readonly opened = new Map<string, number>();
  lines = 0;
  private readonly onLine: (line: AlertFileLine) => void;

  constructor(o: PassOptions) {
    this.name = o.name;
    this.core = new RulesCore({ registry: withOverrides(o.registry, o.overrides), options: { trackDirty: false } });
    this.staff = new StaffModel(o.staff);
    this.calls = o.calls;
    this.onLine = o.onLine;
  }

  /**
   * Everything due up to `t` in time order (the core's deadlines first on a tie, then call results, then
   * the modelled staff),
   * then the message, as docs/rules.md's driver loop and as the live engine (advance, then ingest).
   */
  ingest(t: number, msg: DeviceMessage): void {
    this.runUntil(t);
    this.out(this.core.advance(t));
    this.out(this.core.ingest(msg, t));
  }

  /** Runs deadlines and staff actions due at or before `t` (the end of the replay: the last line's t). */
  runUntil(t: number): void {
    const core = this.core;
    for (;;) {
      const d = core.nextDeadline() ?? Number.POSITIVE_INFINITY;
      const s = this.staff.peekTime() ?? Number.POSITIVE_INFINITY;
      const c = this.calls?.peekTime() ?? Number.POSITIVE_INFINITY;
      if (d > t && s > t && c > t) return;
      if (d <= s && d <= c) this.out(core.advance(d));
      else if (c <= s && this.calls) this.out(this.calls.runNext(core));
      else this.out(this.staff.runNext(core));
    }
  }

  private out(events: readonly CoreEvent[]): void {
    for (const ev of events) {
      this.calls?.observe(ev);
      if (ev.type !== 'alert') continue;
      if (ev.change === 'opened' || ev.change === 'reopened') this.opened.set(ev.alert.rule, (this.opened.get(ev.alert.rule) ?? 0) + 1);
      const line = alertFileLineOf(ev);
      if (line) {
        this.lines++;
        this.onLine(line);
      }
      this.staff.observe(ev);
    }
  }
}
