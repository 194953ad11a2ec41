import type { ParseArgsConfig } from 'node:util';
import type { Env } from '@hearthbeat/config';
import type { SqliteRegistryStore } from '@hearthbeat/registry';

/** What a command may touch: its streams and environment are passed in, so tests can run it in-process. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input: piped text, or a terminal to prompt on. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Env;
  /** Opens the registry under HB_DATA_DIR; the command closes it. */
  openStore: () => Promise<SqliteRegistryStore>;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandSpec {
  /** e.g. ['registry', 'import'] */
  path: readonly [string, string];
  /** One line: the arguments after the command path. */
  synopsis: string;
  summary: string;
  /** Further help text shown by --help (options, examples). */
  details: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals: readonly string[];
  /** How many positionals are required (the rest are optional). */
  requiredPositionals: number;
  run(args: { values: OptionValues; positionals: string[] }, ctx: CliContext): Promise<number>;
}

/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: readonly [string, string],
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The operator interrupted a prompt (Ctrl-C): exit 130 as a shell does for SIGINT. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export const EXIT_OK = 0;
/** The command ran and failed (invalid file, unknown user, conflict). */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

/** A string option, refusing a repeated or value-less one. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a single value`);
  return v;
}
