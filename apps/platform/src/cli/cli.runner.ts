import { parseArgs } from 'node:util';
import { ConfigError } from '@hearthbeat/config';
import { RegistryError, RegistryValidationError } from '@hearthbeat/registry';
import { CancelledError, EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliContext, type CommandSpec } from './cli.types';
import { deviceProvisionCommand } from './device.command';
import { registryExportCommand, registryImportCommand } from './registry.command';
import { userPasswordCommand } from './user.command';

export const COMMANDS: readonly CommandSpec[] = [registryImportCommand, registryExportCommand, deviceProvisionCommand, userPasswordCommand];

const HELP_FLAGS = new Set(['-h', '--help', 'help']);

function usageLine(c: CommandSpec): string {
  return `hb ${c.path.join(' ')} ${c.synopsis}`.trimEnd();
}

export function mainHelp(): string {
  return [
    'Usage: npm run hb -- <command> [options]      (or: node apps/platform/dist/cli.js <command>)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${usageLine(c).slice(3)}\n      ${c.summary}`),
    '',
    'Every command takes --help. Exit status: 0 done, 1 failed (nothing changed), 2 wrong usage.',
    '',
    'Environment:',
    '  HB_DATA_DIR   directory of registry.sqlite [./data]; every other HB_* variable is checked too',
    '',
  ].join('\n');
}

function commandHelp(c: CommandSpec): string {
  return `Usage: ${usageLine(c)}\n\n${c.summary[0]?.toUpperCase()}${c.summary.slice(1)}.\n\n${c.details}\n`;
}

function groupHelp(group: string): string {
  const cmds = COMMANDS.filter((c) => c.path[0] === group);
  return `Usage:\n${cmds.map((c) => `  ${usageLine(c)}\n      ${c.summary}`).join('\n')}\n`;
}

/**
 * parseArgs reports misuse as TypeErrors with ERR_PARSE_ARGS_* codes: those are usage errors. Checked by
 * shape, not `instanceof`: node's errors belong to another realm when this runs inside Jest's sandbox.
 */
function isParseArgsError(err: unknown): err is { code: string; message: string } {
  return (
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS') && 'message' in err && typeof err.message === 'string'
  );
}

async function runCommand(c: CommandSpec, argv: string[], ctx: CliContext): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...c.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(err.message, c.path);
    throw err;
  }
  if (parsed.values['help'] === true) {
    ctx.stdout(commandHelp(c));
    return EXIT_OK;
  }
  const { positionals } = parsed;
  if (positionals.length < c.requiredPositionals) throw new UsageError(`missing ${c.positionals.slice(positionals.length).join(' ')}`, c.path);
  if (positionals.length > c.positionals.length) throw new UsageError(`unexpected argument "${positionals[c.positionals.length]}"`, c.path);
  return c.run({ values: parsed.values, positionals }, ctx);
}

/** Runs one `hb` command line; returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [group, name, ...rest] = argv;
  try {
    if (group === undefined || HELP_FLAGS.has(group)) {
      (group === undefined ? ctx.stderr : ctx.stdout)(mainHelp());
      return group === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (!COMMANDS.some((c) => c.path[0] === group)) throw new UsageError(`unknown command "${group}"`);
    if (name === undefined || HELP_FLAGS.has(name)) {
      (name === undefined ? ctx.stderr : ctx.stdout)(groupHelp(group));
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.path[0] === group && c.path[1] === name);
    if (!command) throw new UsageError(`unknown command "${group} ${name}"`);
    return await runCommand(command, rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      const help = err.command ? `hb ${err.command.join(' ')} --help` : 'hb --help';
      ctx.stderr(`hb: ${err.message}\nRun "${help}" for usage.\n`);
      return EXIT_USAGE;
    }
    if (err instanceof CancelledError) {
      ctx.stderr('hb: cancelled; nothing changed\n');
      return EXIT_CANCELLED;
    }
    if (err instanceof RegistryValidationError) {
      ctx.stderr(`hb: ${err.summary}\n${err.problems.map((p) => `  ${p.path || '(input)'}: ${p.message}\n`).join('')}`);
      return EXIT_FAILED;
    }
    if (err instanceof RegistryError || err instanceof ConfigError) {
      ctx.stderr(`hb: ${err.message}\n`);
      return EXIT_FAILED;
    }
    ctx.stderr(`hb: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_FAILED;
  }
}
