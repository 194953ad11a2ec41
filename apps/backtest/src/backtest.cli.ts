#!/usr/bin/env node
import { BACKTEST_HELP, parseBacktestOptions } from './cli/backtest-options';
import { runCli } from './cli/usage-error';
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

runCli(main);
