#!/usr/bin/env node
import { HELP, parseSimOptions } from './cli/sim-options';
import { formatLocalDateTime } from './core/zoned-time.util';
import { runLive } from './live/live.runner';
import { runOffline } from './offline/offline.runner';
import { UsageError } from './scenarios/scenario-spec.parser';

/** Entry point of `npm run sim -- ...`. Exit status: 0 done, 1 failed, 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  const opts = parseSimOptions(argv);
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (opts.out !== undefined) {
    const s = await runOffline({ ...opts, out: opts.out });
    const tz = opts.site.timezone;
    const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
    for (const w of s.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(
      [
        `simulated ${formatLocalDateTime(s.start, tz)} to ${formatLocalDateTime(s.end, tz)} (${tz}), ${s.devices} devices, in ${(s.wallMs / 1000).toFixed(1)} s`,
        `  ${s.registry.path}`,
        `  ${s.messages.path}: ${s.messages.lines} messages, ${mb(s.messages.bytes)}`,
        `  ${s.truth.path}: ${s.truth.lines} incidents`,
        `  ${s.answers.path}: ${s.answers.lines} lines (check-in call answering)`,
        `  users: ${s.users.map((u) => `${u.id} (${u.role}) password ${u.password}`).join('; ')}`,
        '',
      ].join('\n'),
    );
    return 0;
  }
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: string) => {
    // A second Ctrl-C means "now": skip the clean shutdown.
    if (++signals > 1) process.exit(130);
    process.stderr.write(`\n${name}: disconnecting devices...\n`);
    controller.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const summary = await runLive(opts, { stdout: process.stdout, signal: controller.signal });
  // Nothing could be sent at all (broker down, every login refused): say so in the exit status.
  return summary.counters.published === 0 && summary.counters.errors > 0 ? 1 : 0;
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
      process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
