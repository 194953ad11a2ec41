import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isIpcMessage, type IpcMessage } from './ipc';

type Waiter = { type: string; resolve: (m: IpcMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export interface ForkOptions {
  /** Shown in errors and used for the log file name. */
  name: string;
  /** Where the child's stdout and stderr go (pino lines, mosquitto warnings); appended. */
  logDir: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

const live = new Set<ChildHandle>();

/**
 * A forked bench process (load generator, subscriber, broker or platform host) and its typed IPC.
 * Every child started here is tracked so that the bench can stop exactly the processes it started,
 * by their ids, whatever happens.
 */
export class ChildHandle {
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Map<string, ((m: IpcMessage) => void)[]>();
  private exited = false;
  readonly exit: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = true;
        live.delete(this);
        const err = new Error(`${name} exited (code ${code}, signal ${signal}) before answering`);
        for (const w of this.waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(err);
        }
        resolve(code);
      }),
    );
    child.on('message', (msg: unknown) => this.dispatch(msg));
  }

  static fork(modulePath: string, opts: ForkOptions): ChildHandle {
    fs.mkdirSync(opts.logDir, { recursive: true });
    const log = fs.openSync(path.join(opts.logDir, `${opts.name}.log`), 'a');
    const child = fork(modulePath, [], {
      stdio: ['ignore', log, log, 'ipc'],
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? process.env,
      serialization: 'advanced',
    });
    fs.closeSync(log);
    const handle = new ChildHandle(opts.name, child);
    live.add(handle);
    return handle;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  send<T extends IpcMessage>(msg: T): void {
    if (!this.exited && this.child.connected) this.child.send(msg);
  }

  /** Every message of one type, as it comes. */
  on(type: string, fn: (m: IpcMessage) => void): void {
    const list = this.listeners.get(type) ?? [];
    list.push(fn);
    this.listeners.set(type, list);
  }

  /** The next message of a type; rejects on timeout, on an `error` message or when the child exits. */
  next(type: string, timeoutMs: number): Promise<IpcMessage> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ type, resolve, reject, timer });
    });
  }

  request<T extends IpcMessage>(msg: T, replyType: string, timeoutMs: number): Promise<IpcMessage> {
    const reply = this.next(replyType, timeoutMs);
    this.send(msg);
    return reply;
  }

  /** Asks the child to exit; kills it (by its pid) if it has not after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'exit' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited && this.child.pid !== undefined) process.kill(this.child.pid, 'SIGKILL');
  }

  /** Kills every child still running (on an abort); each by its own pid. */
  static killAll(): void {
    for (const h of live) h.kill();
  }

  private dispatch(msg: unknown): void {
    if (!isIpcMessage(msg)) return;
    if (msg.type === 'error') {
      const detail = (msg as { message?: unknown }).message;
      const err = new Error(`${this.name} failed: ${typeof detail === 'string' ? detail : 'unknown error'}`);
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(err);
      }
    }
    const i = this.waiters.findIndex((w) => w.type === msg.type);
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      if (w) {
        clearTimeout(w.timer);
        w.resolve(msg);
      }
    }
    for (const fn of this.listeners.get(msg.type) ?? []) fn(msg);
  }
}
