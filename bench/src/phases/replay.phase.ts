import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildHandle } from '../core/child.handle';
import { benchModule, repoRoot, type BenchContext } from '../core/bench.context';
import { round } from '../core/stats';
import type { ReplayReport } from './core-replay.child';

export interface ReplayConfig {
  residents: number;
  /** Days of the log when there is a backtest to time (its target is for 30 days). */
  days: number;
  /** Days of the log when there is none: the core replay's rate needs no month of data. */
  daysWithoutBacktest: number;
  /** Also replay the log through RulesCore when the backtest was timed (skipped late in a run, to stay in time). */
  coreReplayWithBacktest: boolean;
}

export interface ReplayResult {
  log: { residents: number; elevators: number; days: number; seed: number; messages: number | null; simSeconds: number | null; error?: string };
  /** `npm run backtest` on that log: null with the reason while the command does not exist. */
  backtestMsgsPerS: number | null;
  backtestSeconds: number | null;
  backtestNote: string;
  /** The bench's own replay through RulesCore (minimal staff model), not the backtest. */
  coreReplayMsgsPerS: number | null;
  coreReplayCoreOnlyMsgsPerS: number | null;
  coreReplaySeconds: number | null;
  coreReplayAlertsOpened: number | null;
  /** The core replay's time scaled to a 30-day log of the same fleet (messages x 30 / days), when shorter. */
  coreReplayProjected30DaySeconds: number | null;
}

const BUILD_PREFIX = /^npm run build(?: --silent)? && /;

/**
 * The command of a root package.json script without its leading `npm run build && `: `npm run bench`
 * has just built everything, and a second build in the middle of a run would cost time and fail
 * whenever a colleague's work in progress does not compile at that moment.
 */
function scriptCommand(name: string): string | undefined {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.[name];
  return typeof script === 'string' ? script.replace(BUILD_PREFIX, '') : undefined;
}

const shellQuote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

/** Runs a root script's command with arguments; resolves with its exit code, output tail and duration. */
function runScript(command: string, args: string[], timeoutMs: number, logFile: string): Promise<{ code: number | null; seconds: number; tail: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('sh', ['-c', `${command} ${args.map(shellQuote).join(' ')}`], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer) => {
      fs.appendFileSync(logFile, d);
      out = (out + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, seconds: (performance.now() - t0) / 1000, tail: out });
    });
  });
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of fs.createReadStream(file)) for (const b of chunk as Buffer) if (b === 10) n++;
  return n;
}

/**
 * Backtest rate for the simulator's fleet log (protocol.md commands): `npm run sim` writes the log
 * offline, then the hook times `npm run backtest` on it as soon as that script exists. Meanwhile the
 * raw RulesCore replay of the same log is measured in a child process (core-replay.child.ts).
 */
export async function measureReplay(ctx: BenchContext, cfg: ReplayConfig): Promise<ReplayResult> {
  const dir = path.join(ctx.tmpDir, 'sim');
  const logFile = path.join(ctx.logDir, 'sim.log');
  const backtest = scriptCommand('backtest');
  const days = backtest ? cfg.days : cfg.daysWithoutBacktest;
  const log: ReplayResult['log'] = { residents: cfg.residents, elevators: 0, days, seed: 1, messages: null, simSeconds: null };
  const result: ReplayResult = {
    log,
    backtestMsgsPerS: null,
    backtestSeconds: null,
    backtestNote: '',
    coreReplayMsgsPerS: null,
    coreReplayCoreOnlyMsgsPerS: null,
    coreReplaySeconds: null,
    coreReplayAlertsOpened: null,
    coreReplayProjected30DaySeconds: null,
  };
  const simCommand = scriptCommand('sim');
  if (!simCommand) {
    log.error = 'the root package.json has no sim script';
    result.backtestNote = `no simulated log: ${log.error}`;
    return result;
  }
  const sim = await runScript(simCommand, ['--residents', String(cfg.residents), '--elevators', '0', '--days', String(days), '--seed', '1', '--out', dir], 300_000, logFile);
  const messagesFile = path.join(dir, 'messages.jsonl');
  if (sim.code !== 0 || !fs.existsSync(messagesFile)) {
    log.error = `${simCommand} failed (exit ${sim.code}): ${sim.tail.trim().split('\n').slice(-3).join(' | ')}`;
    result.backtestNote = `no simulated log: ${log.error}`;
    return result;
  }
  log.simSeconds = round(sim.seconds, 1);
  log.messages = await countLines(messagesFile);

  // The hook: measured as soon as the root package.json has a backtest script.
  if (backtest) {
    const out = path.join(ctx.tmpDir, 'alerts.jsonl');
    const bt = await runScript(backtest, ['--registry', path.join(dir, 'registry.json'), '--input', messagesFile, '--output', out], 600_000, path.join(ctx.logDir, 'backtest.log'));
    if (bt.code === 0) {
      result.backtestSeconds = round(bt.seconds, 1);
      result.backtestMsgsPerS = round(log.messages / bt.seconds, 0);
      result.backtestNote = `\`${backtest}\` (npm run backtest without its build step), wall time including node start-up`;
    } else {
      result.backtestNote = `${backtest} failed (exit ${bt.code}): ${bt.tail.trim().split('\n').slice(-3).join(' | ')}`;
    }
  } else {
    result.backtestNote = 'null: `npm run backtest` does not exist yet (a later issue); bench/src/phases/replay.phase.ts times it on this log as soon as the root script appears';
  }

  if (backtest && !cfg.coreReplayWithBacktest) {
    fs.rmSync(dir, { recursive: true, force: true });
    return result;
  }
  const child = ChildHandle.fork(benchModule('phases/core-replay.child.js'), { name: 'core-replay', logDir: ctx.logDir });
  try {
    await child.next('hello', 10_000);
    const r = (await child.request({ type: 'replay', dir }, 'replayed', 600_000)) as unknown as ReplayReport;
    result.coreReplaySeconds = round(r.seconds, 1);
    result.coreReplayMsgsPerS = round(r.messages / r.seconds, 0);
    result.coreReplayCoreOnlyMsgsPerS = round(r.accepted / r.coreSeconds, 0);
    result.coreReplayAlertsOpened = r.alertsOpened;
    if (days < 30) result.coreReplayProjected30DaySeconds = round(((r.seconds * 30) / days), 1);
  } finally {
    await child.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
