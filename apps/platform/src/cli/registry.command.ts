import { writeFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { RegistryProblem } from '@hearthbeat/contracts';
import { readRegistryFile, RegistryValidationError, type ImportReport } from '@hearthbeat/registry';
import { EXIT_FAILED, EXIT_OK, stringOption, type CliContext, type CommandSpec } from './cli.types';

function printProblems(ctx: CliContext, heading: string, problems: RegistryProblem[]): void {
  ctx.stderr(`${heading} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
  for (const p of problems) ctx.stderr(`  ${p.path || '(file)'}: ${p.message}\n`);
}

export function formatCounts(r: Omit<ImportReport, 'changed'>): string {
  return `sites ${r.sites}, residents ${r.residents}, elevators ${r.elevators}, devices ${r.devices}, users ${r.users}`;
}

export const registryImportCommand: CommandSpec = {
  path: ['registry', 'import'],
  synopsis: 'FILE',
  summary: 'import a registry file (idempotent upsert; secrets and passwords are hashed)',
  details: [
    'Reads FILE (the registry file format of protocol.md), checks it whole, then creates or updates every',
    'site, resident, elevator, device and user it lists, in one transaction. Entities missing from FILE are',
    'kept (upsert, never delete). Importing the same file again reports "changed: 0".',
    'Exit status 1 and every problem with its path when FILE is invalid; nothing is changed then.',
    '',
    'Example:',
    '  npm run hb -- registry import fleet/registry.json',
  ].join('\n'),
  options: {},
  positionals: ['FILE'],
  requiredPositionals: 1,
  async run({ positionals }, ctx) {
    const file = positionals[0] ?? '';
    const parsed = await readRegistryFile(file);
    if (!parsed.ok) {
      printProblems(ctx, `${file} is not a valid registry file`, parsed.problems);
      return EXIT_FAILED;
    }
    const store = await ctx.openStore();
    try {
      const report = await store.importRegistry(parsed.value);
      ctx.stdout(`imported ${file}: ${formatCounts(report)}\nchanged: ${report.changed}\n`);
      return EXIT_OK;
    } catch (err) {
      if (!(err instanceof RegistryValidationError)) throw err;
      printProblems(ctx, `${file} was not imported (${err.summary})`, err.problems);
      return EXIT_FAILED;
    } finally {
      store.close();
    }
  },
};

export const registryExportCommand: CommandSpec = {
  path: ['registry', 'export'],
  synopsis: '[--out FILE]',
  summary: 'export the registry in the file format, without secrets or passwords',
  details: [
    'Options:',
    '  --out FILE   write to FILE (replaced atomically) instead of standard output',
    '',
    'The export imports back unchanged ("changed: 0"); devices and users keep their stored hashes.',
    '',
    'Examples:',
    '  npm run hb -- registry export > backup.json',
    '  npm run hb -- registry export --out backup.json',
  ].join('\n'),
  options: { out: { type: 'string' } },
  positionals: [],
  requiredPositionals: 0,
  async run({ values }, ctx) {
    const out = stringOption(values, 'out');
    const store = await ctx.openStore();
    let text: string;
    let counts: string;
    try {
      const file = store.exportRegistry();
      text = `${JSON.stringify(file, null, 2)}\n`;
      const n = { sites: file.sites.length, residents: file.residents.length, elevators: file.elevators.length };
      counts = formatCounts({ ...n, devices: file.devices.length, users: file.users?.length ?? 0 });
    } finally {
      store.close();
    }
    if (out === undefined) {
      ctx.stdout(text);
      return EXIT_OK;
    }
    // Write beside the target then rename, so that an interrupted export never leaves half a file.
    const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`);
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, out);
    ctx.stdout(`exported the registry to ${out}: ${counts}\n`);
    return EXIT_OK;
  },
};
