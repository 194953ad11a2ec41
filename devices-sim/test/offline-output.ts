import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseTopic, type Channel, type RegistryFile, type TruthLine } from '@hearthbeat/contracts';
import { parseSimOptions } from '../src/cli/sim-options';
import { runOffline, type OfflineSummary } from '../src/offline/offline.runner';

export interface LoggedMessage {
  t: number;
  deviceId: string;
  channel: Channel;
  payload: unknown;
  /** The line as written. */
  text: string;
}

export interface OfflineOutput {
  dir: string;
  summary: OfflineSummary;
  registry: RegistryFile;
  messages: LoggedMessage[];
  truth: TruthLine[];
  byDevice: Map<string, LoggedMessage[]>;
}

/** Runs the offline simulator into a fresh temporary directory and reads everything back. */
export async function simulateOffline(args: string[]): Promise<OfflineOutput> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hb-sim-'));
  const opts = parseSimOptions([...args, '--out', dir]);
  const summary = await runOffline({ ...opts, out: dir });
  return { ...readOutput(dir), summary };
}

export function readOutput(dir: string): Omit<OfflineOutput, 'summary'> {
  const lines = (file: string) => readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => l.length > 0);
  const messages = lines('messages.jsonl').map((text) => {
    const raw = JSON.parse(text) as { t: number; topic: string; payload: unknown };
    const topic = parseTopic(raw.topic);
    if (!topic) throw new Error(`bad topic in ${text}`);
    return { t: raw.t, deviceId: topic.deviceId, channel: topic.channel, payload: raw.payload, text };
  });
  const byDevice = new Map<string, LoggedMessage[]>();
  for (const m of messages) {
    const list = byDevice.get(m.deviceId);
    if (list) list.push(m);
    else byDevice.set(m.deviceId, [m]);
  }
  return {
    dir,
    registry: JSON.parse(readFileSync(path.join(dir, 'registry.json'), 'utf8')) as RegistryFile,
    messages,
    truth: lines('truth.jsonl').map((l) => JSON.parse(l) as TruthLine),
    byDevice,
  };
}

export function removeOutput(out: { dir: string } | undefined): void {
  if (out) rmSync(out.dir, { recursive: true, force: true });
}
