import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Runs mosquitto_pub (or any command) to completion. */
export function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A running mosquitto_sub with `-d`, so that its SUBACK can be awaited before anything is published.
 * Message lines are printed with `-F 'MSG %t %p'` to tell them from debug lines.
 */
export class MosquittoSub {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  private buffer = '';

  constructor(args: string[]) {
    // stdbuf -oL: mosquitto_sub's stdout is a pipe here, fully buffered by stdio unless told otherwise
    // (stdbuf execs it, so the child pid is mosquitto_sub's own and a kill reaches it).
    this.child = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-d', '-F', 'MSG %t %p', ...args]);
    this.child.stdout.on('data', (c: Buffer) => this.onData(c.toString()));
    this.child.stderr.on('data', (c: Buffer) => this.onData(c.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  private onData(text: string): void {
    this.buffer += text;
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
    }
  }

  waitForLine(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  subscribed(): Promise<string> {
    return this.waitForLine((l) => l.includes('received SUBACK'));
  }

  /** Resolves with the payload of the next message on `topic` whose payload contains `text`. */
  async message(topic: string, text = ''): Promise<string> {
    const line = await this.waitForLine((l) => l.startsWith(`MSG ${topic} `) && l.includes(text));
    return line.slice(`MSG ${topic} `.length);
  }

  messages(): { topic: string; payload: string }[] {
    return this.lines.filter((l) => l.startsWith('MSG ')).map((l) => {
      const [, topic = '', ...rest] = l.split(' ');
      return { topic, payload: rest.join(' ') };
    });
  }

  /** SIGKILL: the process dies without DISCONNECT, the kernel closes its socket. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
