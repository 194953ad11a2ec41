#!/usr/bin/env node
import { EVALUATE_HELP, parseEvaluateOptions } from './cli/evaluate-options';
import { runCli } from './cli/usage-error';
import { runEvaluate } from './evaluate/evaluate';
import { formatReport } from './evaluate/report-text';

/** `npm run evaluate -- ...`. Exit: 0 done (goals met or not: it is a measurement), 1 failed, 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  const o = parseEvaluateOptions(argv);
  if (o.help) {
    process.stdout.write(EVALUATE_HELP);
    return 0;
  }
  const run = await runEvaluate(o, o.quiet ? undefined : (s) => process.stderr.write(`  ... ${s.lines} lines\r`));
  if (run.replay) {
    const r = run.replay;
    const rejected = Object.entries(r.rejected).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const passes = run.baseline ? 'platform and fixed rule from one read' : 'platform only';
    process.stderr.write(`replayed ${r.lines} lines (${Math.round(r.lines / Math.max(0.001, r.wallMs / 1000))} lines/s, ${(r.wallMs / 1000).toFixed(1)} s, ${passes}); rejected: ${rejected}\n`);
  }
  process.stdout.write(formatReport(run));
  return 0;
}

runCli(main);
