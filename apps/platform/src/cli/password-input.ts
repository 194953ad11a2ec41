import { Writable } from 'node:stream';
import { createInterface } from 'node:readline/promises';
import { CancelledError } from './cli.types';

/** Reads all of a piped stdin; drops one trailing line break (what `echo` and editors add). */
export async function readPipedSecret(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Prompts on a terminal without echoing what is typed (readline writing to a muted stream). */
export async function promptHidden(prompt: string, stdin: NodeJS.ReadableStream, write: (text: string) => void): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  // Created before the prompt shows: it puts the terminal in raw mode, so early keystrokes are not echoed.
  const rl = createInterface({ input: stdin, output: muted, terminal: true });
  write(prompt);
  try {
    // Raw mode turns Ctrl-C into a keystroke; readline reports it as SIGINT, which must still cancel.
    return await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new CancelledError()));
      rl.question('').then(resolve, reject);
    });
  } finally {
    rl.close();
    write('\n');
  }
}
