import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseDevicePayload, parseRegistryFile, parseTopic, type DeviceKind } from '@hearthbeat/contracts';
import { RulesCore, buildCoreRegistry, type CoreEvent } from '@hearthbeat/rules-core';
import { serveParent, sendToParent, type IpcMessage } from '../core/ipc';
import { ReplayStaff } from './replay-staff';

export interface ReplayReport {
  type: 'replayed';
  messages: number;
  accepted: number;
  rejected: number;
  /** Whole replay: reading and parsing lines, payload validation, the core. */
  seconds: number;
  /** Time inside RulesCore calls only. */
  coreSeconds: number;
  alertsOpened: number;
}

/**
 * Replays a simulator log (DIR/registry.json, DIR/messages.jsonl) through one RulesCore in virtual time,
 * the way protocol.md describes the backtest: before each message, everything due (core deadlines and
 * the modelled staff) in time order, then the message at its receive time `t`.
 */
async function replay(dir: string): Promise<ReplayReport> {
  const reg = parseRegistryFile(JSON.parse(fs.readFileSync(path.join(dir, 'registry.json'), 'utf8')));
  if (!reg.ok) throw new Error(`registry.json: ${reg.problems.map((p) => p.message).join('; ')}`);
  const kinds = new Map<string, DeviceKind>(reg.value.devices.map((d) => [d.id, d.kind]));
  const floors = new Map(reg.value.elevators.map((e) => [e.device, { min: e.minFloor, max: e.maxFloor }]));
  const core = new RulesCore({ registry: buildCoreRegistry(reg.value), options: { trackDirty: false } });
  const staff = new ReplayStaff();
  let coreMs = 0;
  const timed = (fn: () => readonly CoreEvent[]) => {
    const t0 = performance.now();
    const events = fn();
    coreMs += performance.now() - t0;
    staff.observe(events);
  };
  let messages = 0;
  let accepted = 0;
  const t0 = performance.now();
  const lines = readline.createInterface({ input: fs.createReadStream(path.join(dir, 'messages.jsonl')), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    messages++;
    const rec = JSON.parse(line) as { t: number; topic: string; payload: unknown };
    const topic = parseTopic(rec.topic);
    const kind = topic ? kinds.get(topic.deviceId) : undefined;
    if (!topic || !kind) continue;
    const floorRange = floors.get(topic.deviceId);
    const parsed = parseDevicePayload(rec.payload, { deviceId: topic.deviceId, kind, channel: topic.channel, now: rec.t, ...(floorRange ? { floorRange } : {}) });
    if (!parsed.ok) continue;
    accepted++;
    for (;;) {
      const d = core.nextDeadline() ?? Infinity;
      const s = staff.peek();
      if (Math.min(d, s) > rec.t) break;
      timed(() => (d <= s ? core.advance(d) : staff.run(core)));
    }
    timed(() => core.advance(rec.t));
    timed(() => core.ingest(parsed.value, rec.t));
  }
  return {
    type: 'replayed',
    messages,
    accepted,
    rejected: messages - accepted,
    seconds: (performance.now() - t0) / 1000,
    coreSeconds: coreMs / 1000,
    alertsOpened: staff.opened,
  };
}

serveParent(async (raw: IpcMessage) => {
  const msg = raw as { type: 'replay'; dir: string } | { type: 'exit' };
  if (msg.type === 'replay') sendToParent(await replay(msg.dir));
  else if (msg.type === 'exit') process.exit(0);
});
sendToParent({ type: 'hello' });
