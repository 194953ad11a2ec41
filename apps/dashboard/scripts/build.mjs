// `npm run build -w @hearthbeat/dashboard` (and so the root `npm run build`, which every `npm run hb`,
// `sim`, `demo` and `npm start` runs first):
// - skips the vite build when dist/ is newer than everything bundled into it, as `tsc -b` does for the
//   other projects, so those commands do not pay a few seconds each time;
// - builds into tmp/dist.next/ and swaps it in with two renames, so that a platform serving dist/ (and the
//   browser tests) never sees a half-written or emptied directory while someone rebuilds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(root, '..', '..');
const dist = path.join(root, 'dist');
// Under tmp/ (git-ignored), on the same file system as dist/ so that the renames are atomic.
const next = path.join(root, 'tmp', 'dist.next');
const old = path.join(root, 'tmp', 'dist.old');

/** Everything that ends up in the bundle: the app, its config, the contracts it imports, the installed libraries. */
const INPUTS = [
  path.join(root, 'src'),
  path.join(root, 'public'),
  path.join(root, 'index.html'),
  path.join(root, 'vite.config.mts'),
  path.join(root, 'package.json'),
  path.join(repo, 'libs', 'contracts', 'src'),
  path.join(repo, 'package-lock.json'),
];

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = 0;
  for (const e of fs.readdirSync(p)) if (!e.endsWith('.spec.ts')) n = Math.max(n, newest(path.join(p, e)));
  return n;
}

const index = path.join(dist, 'index.html');
const force = process.argv.includes('--force');
if (!force && fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...INPUTS.map(newest))) process.exit(0);

fs.rmSync(next, { recursive: true, force: true });
await build({ root, configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
fs.rmSync(old, { recursive: true, force: true });
if (fs.existsSync(dist)) fs.renameSync(dist, old);
fs.renameSync(next, dist);
fs.rmSync(old, { recursive: true, force: true });
