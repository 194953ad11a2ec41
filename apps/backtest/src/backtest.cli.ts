#!/usr/bin/env node
import { BACKTEST_HELP, parseBacktestOptions } from './cli/backtest-options';
import { UsageError } from './cli/usage-error';
import { FileFormatError } from './io/line-reader';
import { formatSummary, runBacktest } from './replay/backtest';

/** `npm run backtest -- --registry FILE --input FILE --output FILE`. Exit: 0 done, 1 failed, 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  const o = parseBacktestOptions(argv);
  if (o.help) {
    process.stdout.write(BACKTEST_HELP);
    return 0;
  }
  const summary = await runBacktest(o, o.quiet ? undefined : (s) => process.stderr.write(`  ... ${s.lines} lines\r`));
  process.stderr.write(formatSummary(summary));
  return 0;
}

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
