import { parseDuration } from '../core/zoned-time.util';
import { isScenarioKind, type ScenarioKind } from './scenario.types';

/** A scheduled scenario as given on the command line, before its subject and time are resolved. */
export interface ScenarioSpec {
  kind: ScenarioKind;
  /** A resident id, an elevator id or a device id. */
  target: string;
  /** Local date-time in the subject's site zone (`2026-11-02T08:00`), or with `Z`/an offset. */
  at: string;
  durationMs?: number;
  /** The original text, for messages. */
  text: string;
}

/** A command-line value that cannot be used; the CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const SPEC_RE = /^([a-z_]+):([A-Za-z0-9][A-Za-z0-9_.-]*)@([0-9T:Z+ -]+?)(?:\/([0-9.]+(?:ms|s|m|h|d)?))?$/;

/** Parses `KIND:SUBJECT@DATETIME[/DURATION]`, e.g. `fall:R-0003@2026-11-02T08:00/6h`. */
export function parseScenarioSpec(text: string): ScenarioSpec {
  const m = SPEC_RE.exec(text.trim());
  if (!m) throw new UsageError(`--scenario "${text}": expected KIND:SUBJECT@YYYY-MM-DDTHH:MM[/DURATION], e.g. fall:R-0003@2026-11-02T08:00/6h`);
  const [, kind, target, at, duration] = m as unknown as [string, string, string, string, string | undefined];
  if (!isScenarioKind(kind)) throw new UsageError(`--scenario "${text}": unknown scenario kind "${kind}" (see --help for the list)`);
  const spec: ScenarioSpec = { kind, target, at, text };
  if (duration !== undefined) {
    const ms = parseDuration(duration);
    if (ms === null || ms <= 0) throw new UsageError(`--scenario "${text}": bad duration "${duration}" (use e.g. 90s, 20m, 6h, 3d)`);
    spec.durationMs = ms;
  }
  return spec;
}
