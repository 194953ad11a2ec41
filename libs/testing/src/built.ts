import * as fs from 'node:fs';
import * as path from 'node:path';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The path of a project's built entry point (e.g. `apps/rules-engine/dist/main.js`) for tests that
 * run it as a separate process. Tests never build (parallel test runs would race on dist/): `npm test`
 * builds everything first; this refuses a missing or stale build with the command that fixes it.
 */
export function builtEntry(root: string, projectDir: string, entry: string): string {
  const file = path.join(root, projectDir, 'dist', entry);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  // tsc -b rewrites only the outputs that changed, but always its build info when anything did.
  const info = path.join(root, projectDir, 'dist', 'tsconfig.tsbuildinfo');
  const built = fs.statSync(fs.existsSync(info) ? info : file).mtimeMs;
  if (newestSource(path.join(root, projectDir, 'src')) > built) throw new Error(`${file} is older than its sources: run \`npm run build\` first (npm test does)`);
  return file;
}
