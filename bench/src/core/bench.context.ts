import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the compiled bench lives (forked modules are loaded from there, also when a spec runs the sources). */
export function distRoot(): string {
  const here = path.resolve(__dirname, '..');
  return path.basename(here) === 'src' ? path.join(here, '..', 'dist') : here;
}

/** The repository root (for `npm run sim` / `npm run backtest`). */
export function repoRoot(): string {
  return path.resolve(distRoot(), '..', '..');
}

export function benchModule(rel: string): string {
  return path.join(distRoot(), rel);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Specs that fork the compiled children need an up-to-date bench/dist; they never build it themselves
 * (parallel test runs would race on dist/): `npm test` builds first. Same rule as @hearthbeat/testing's
 * builtEntry, which that lib does not export.
 */
export function assertBuilt(): void {
  const dist = distRoot();
  const info = path.join(dist, 'tsconfig.tsbuildinfo');
  if (!fs.existsSync(info)) throw new Error(`${dist} is missing: run \`npm run build\` first (npm test does)`);
  if (newestSource(path.join(dist, '..', 'src')) > fs.statSync(info).mtimeMs) throw new Error(`${dist} is older than bench/src: run \`npm run build\` first (npm test does)`);
}

export interface BenchContext {
  /** Scratch space of this run (registries, data dirs, simulator output); removed at the end. */
  tmpDir: string;
  /** Logs of every forked process. */
  logDir: string;
  /** When profiling: where the broker and platform hosts write their .cpuprofile files. */
  profileDir: string | undefined;
  log(line: string): void;
}

export function createContext(opts: { resultsDir: string; profile: boolean; log?: (line: string) => void }): BenchContext {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bench-'));
  const logDir = path.join(opts.resultsDir, 'logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const profileDir = opts.profile ? path.join(opts.resultsDir, 'profiles') : undefined;
  if (profileDir) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
  }
  return { tmpDir, logDir, profileDir, log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)) };
}

/** node flags of a host process: --expose-gc for memory samples, --cpu-prof when profiling. */
export function hostExecArgv(ctx: BenchContext, name: string): string[] {
  const argv = ['--expose-gc'];
  if (ctx.profileDir) argv.push('--cpu-prof', `--cpu-prof-dir=${path.join(ctx.profileDir, name)}`);
  return argv;
}
