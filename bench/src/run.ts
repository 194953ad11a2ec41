import * as path from 'node:path';
import { parseBenchOptions, USAGE, UsageError } from './cli/bench-options';
import { ChildHandle } from './core/child.handle';
import { distRoot } from './core/bench.context';
import { runBench } from './bench.runner';
import { resultsMarkdown } from './results/results.markdown';
import { updateReadme, writeResults } from './results/results.writer';

/** `npm run bench [-- --quick | --connections N | --only ... | --profile]`: see bench/README.md. */
async function main(): Promise<number> {
  const benchDir = path.resolve(distRoot(), '..');
  const opts = parseBenchOptions(process.argv.slice(2), path.join(benchDir, 'results'));
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  // The run stops by itself whatever happens: past the hard limit every child is killed by its pid.
  const watchdog = setTimeout(() => {
    log(`aborting: over ${opts.hardLimitMs / 60_000} minutes`);
    ChildHandle.killAll();
    process.exit(3);
  }, opts.hardLimitMs);
  watchdog.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      ChildHandle.killAll();
      process.exit(130);
    });
  }
  const results = await runBench(opts, log);
  const files = writeResults(opts.outDir, results);
  const complete = opts.mode === 'default' && opts.phases.size === 5 && !opts.profile;
  if (complete && opts.outDir === path.join(benchDir, 'results')) updateReadme(path.join(benchDir, 'README.md'), results);
  process.stdout.write(`\n${resultsMarkdown(results)}\nwrote ${files.json} and ${files.md}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    ChildHandle.killAll();
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
