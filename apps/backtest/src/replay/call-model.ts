import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CallResult, CheckInCallPolicyInput, RegistryFile } from '@hearthbeat/contracts';
import { buildCoreRegistry, type CoreEvent, type CoreRegistry, type RulesCore } from '@hearthbeat/rules-core';
import { parseWith, readJsonLines } from '../io/line-reader';

/**
 * One line of the simulator's answers.jsonl (docs/simulator.md): a resident's usual answering (no
 * `from`/`to`), or an interval overriding it (a fall, an outing with only a landline, asleep...).
 */
const probability = z.number().min(0).max(1);
export const answerLineSchema = z
  .object({ subject: z.string().min(1), from: z.number().int().optional(), to: z.number().int().optional(), answered: probability, help: probability, why: z.string().optional() })
  .strict()
  .refine((l) => l.answered + l.help <= 1 + 1e-9, { message: 'answered + help must be at most 1' })
  .refine((l) => (l.from === undefined) === (l.to === undefined), { message: 'an interval needs both from and to' })
  .refine((l) => l.from === undefined || l.to === undefined || l.from < l.to, { message: 'from must be before to' });
export type AnswerLine = z.infer<typeof answerLineSchema>;

interface Odds {
  answered: number;
  help: number;
}

/** How each simulated resident would answer a call placed at any instant. */
export class CallAnswers {
  private readonly base = new Map<string, Odds>();
  private readonly spans = new Map<string, { from: number; to: number; odds: Odds }[]>();

  constructor(lines: readonly AnswerLine[]) {
    for (const l of lines) {
      const odds = { answered: l.answered, help: l.help };
      if (l.from === undefined || l.to === undefined) this.base.set(l.subject, odds);
      else this.spans.set(l.subject, [...(this.spans.get(l.subject) ?? []), { from: l.from, to: l.to, odds }]);
    }
  }

  static async read(path: string): Promise<CallAnswers> {
    return new CallAnswers(await readJsonLines(path, parseWith(answerLineSchema)));
  }

  /**
   * The odds at `t`: the base line, overridden by the intervals covering `t` (where several do, the one
   * least likely to be answered, then the most likely to ask for help). None: the call cannot reach them.
   */
  oddsAt(subject: string, t: number): Odds | undefined {
    let odds = this.base.get(subject);
    for (const s of this.spans.get(subject) ?? []) {
      if (t < s.from || t >= s.to) continue;
      const o = s.odds;
      if (!odds || o.answered < odds.answered || (o.answered === odds.answered && o.help > odds.help)) odds = o;
    }
    return odds;
  }
}

/** A uniform number in [0, 1) from the seed and a label: the same call gets the same draw in every run. */
function draw(seed: string, label: string): number {
  return createHash('sha256').update(`${seed}\u0000${label}`).digest().readUInt32BE(0) / 2 ** 32;
}

interface Pending {
  at: number;
  callId: string;
  result: CallResult;
}

export interface CallCounts {
  /** Calls placed to residents: routine check-in calls (before any alert) and alert-level calls. */
  placed: number;
  routine: number;
  answeredWell: number;
  needsHelp: number;
  /** No result before the rules' timeout (not answered, or nobody to reach). */
  unanswered: number;
}

/**
 * The voice gateway a replay models: every call the rules place to a resident (a routine check-in call,
 * or an alert's `resident` step) is answered by the simulated resident as answers.jsonl says, 15-60 s
 * after it was placed; an unanswered call sends nothing and the core's own timeout counts it. Family
 * calls are not modelled (their answer never decides anything). Results run in time order between the
 * core's deadlines, like the modelled staff.
 */
export class CallModel {
  /** Every call placed, in time order: when, whether before an alert, and how it went. */
  readonly log: { at: number; routine: boolean; result: CallResult | undefined }[] = [];
  private readonly queue: Pending[] = [];

  constructor(
    private readonly answers: CallAnswers,
    private readonly seed = 'hearthbeat-calls',
  ) {}

  observe(ev: CoreEvent): void {
    if (ev.type === 'check_call' && ev.change === 'placed') {
      this.place(ev.callId, ev.subject.id, ev.placedAt, true);
    } else if (ev.type === 'alert' && ev.change === 'call_placed' && ev.entry.details?.['step'] === 'resident') {
      const callId = ev.entry.details['callId'];
      if (typeof callId === 'string') this.place(callId, ev.alert.subject.id, ev.at, false);
    }
  }

  /** The calls placed in [from, to) (all by default). */
  counts(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): CallCounts {
    const c: CallCounts = { placed: 0, routine: 0, answeredWell: 0, needsHelp: 0, unanswered: 0 };
    for (const l of this.log) {
      if (l.at < from || l.at >= to) continue;
      c.placed++;
      if (l.routine) c.routine++;
      if (l.result === 'answered_well') c.answeredWell++;
      else if (l.result === 'needs_help') c.needsHelp++;
      else c.unanswered++;
    }
    return c;
  }

  peekTime(): number | undefined {
    return this.queue[0]?.at;
  }

  /** Reports the next result to the core (at its own time) and returns what it caused. */
  runNext(core: Pick<RulesCore, 'callResult'>): readonly CoreEvent[] {
    const next = this.queue.shift();
    return next ? core.callResult(next.callId, next.result, next.at) : [];
  }

  private place(callId: string, subject: string, at: number, routine: boolean): void {
    const odds = this.answers.oddsAt(subject, at);
    const u = draw(this.seed, callId);
    const result: CallResult | undefined = !odds ? undefined : u < odds.answered ? 'answered_well' : u < odds.answered + odds.help ? 'needs_help' : undefined;
    this.log.push({ at, routine, result });
    if (!result) return;
    const p: Pending = { at: at + Math.round(15_000 + draw(this.seed, `${callId}/delay`) * 45_000), callId, result };
    // Nearly in order already (placed in time order, delays under a minute): insert from the end.
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1] as Pending).at > p.at) i--;
    this.queue.splice(i, 0, p);
  }
}

/** The check-in policy a replay with answers uses: the step on at every site, default rules, 120 s. */
export const REPLAY_CHECK_IN: CheckInCallPolicyInput = { enabled: true, timeoutS: 120 };

/**
 * The core registry of a replay: the registry file's, plus (with answers) the check-in call step at
 * every site. The registry file has no call settings: live, they are kept by the engine (docs/field-workflow.md).
 */
export function replayRegistry(file: RegistryFile, calls: boolean): CoreRegistry {
  return buildCoreRegistry(file, {}, calls ? Object.fromEntries(file.sites.map((s) => [s.id, REPLAY_CHECK_IN])) : {});
}
