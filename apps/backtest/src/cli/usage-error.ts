import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FileFormatError } from '../io/line-reader';

/** A bad command line: the message names the option; the CLIs exit with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node:util parseArgs (strict, no positionals) with its complaints turned into UsageError. */
type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>['values'];

export function parseCliArgs<O extends Options>(argv: readonly string[], options: O): Values<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Runs a CLI's main and sets the exit status: its result, 2 for a bad command line (with a hint), 1
 * for anything else (a file format problem by its message alone, a bug with its stack).
 */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`error: ${err.message}\nTry --help.\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`error: ${err instanceof FileFormatError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
