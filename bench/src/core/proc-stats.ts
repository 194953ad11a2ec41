import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Resident set size of a process in bytes, from /proc/PID/status (VmRSS is in kB). */
export function readRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

let clockTicks: number | undefined;
/** Clock ticks per second for /proc/PID/stat times (almost always 100 on Linux). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
export function readCpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / ticksPerSecond();
}

/** Samples CPU use of several processes over a window, as a percentage of one core. */
export class CpuWindow {
  private readonly start = new Map<string, { pid: number; cpu: number }>();
  private readonly t0 = performance.now();

  constructor(pids: Record<string, number | undefined>) {
    for (const [name, pid] of Object.entries(pids)) if (pid !== undefined) this.start.set(name, { pid, cpu: readCpuSeconds(pid) });
  }

  /** Percent of one core per named process since construction. */
  finish(): Record<string, number> {
    const seconds = (performance.now() - this.t0) / 1000;
    const out: Record<string, number> = {};
    for (const [name, { pid, cpu }] of this.start) out[name] = Math.round(((readCpuSeconds(pid) - cpu) / seconds) * 1000) / 10;
    return out;
  }
}

export interface FdLimit {
  soft: number;
  hard: number;
}

/** RLIMIT_NOFILE of a process, from /proc/PID/limits ("unlimited" reads as Infinity). */
export function readFdLimit(pid: number | 'self' = 'self'): FdLimit {
  const text = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) throw new Error('no "Max open files" line in /proc/PID/limits');
  const num = (s: string | undefined) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: num(m[1]), hard: num(m[2]) };
}

/**
 * Raises this process's file-descriptor limit towards `wanted` before children are forked (they
 * inherit it). Raising the soft limit up to the hard one needs no privilege; raising the hard limit
 * needs CAP_SYS_RESOURCE, which containers often drop, so both steps are tried and the outcome told.
 */
export function raiseFdLimit(wanted: number): FdLimit & { note: string } {
  const before = readFdLimit();
  if (before.soft >= wanted) return { ...before, note: `RLIMIT_NOFILE ${before.soft} already suffices` };
  const attempts = before.hard >= wanted ? [`${wanted}:${before.hard}`] : [`${wanted}:${wanted}`, `${before.hard}:${before.hard}`];
  const errors: string[] = [];
  for (const spec of attempts) {
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${spec}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      break;
    } catch (err) {
      errors.push(`prlimit --nofile=${spec}: ${err instanceof Error ? (err.message.split('\n')[1] ?? err.message) : String(err)}`.trim());
    }
  }
  const after = readFdLimit();
  const note =
    after.soft >= wanted
      ? `RLIMIT_NOFILE raised from ${before.soft} to ${after.soft}`
      : `RLIMIT_NOFILE stays at ${after.soft} (hard ${after.hard}); raising the hard limit needs CAP_SYS_RESOURCE${errors.length ? ` (${errors.join('; ')})` : ''}`;
  return { ...after, note };
}

/**
 * Linux pressure stall information for the CPU: cumulative microseconds during which at least one
 * runnable task waited for a CPU (/proc/pressure/cpu, "some ... total="). Undefined without PSI.
 */
export function readCpuPressureUs(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The share of a window (in %) during which something on this machine waited for a CPU: the noise level. */
export class PressureWindow {
  private readonly start = readCpuPressureUs();
  private readonly t0 = performance.now();

  finish(): number | null {
    const end = readCpuPressureUs();
    if (this.start === undefined || end === undefined) return null;
    return Math.round(((end - this.start) / 1000 / (performance.now() - this.t0)) * 1000) / 10;
  }
}
