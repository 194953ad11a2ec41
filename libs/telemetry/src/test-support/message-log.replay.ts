import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseDevicePayload, parseRegistryFile, parseTopic, type DeviceKind } from '@hearthbeat/contracts';
import type { TelemetrySubject } from '../points/telemetry-point';
import type { RecordedMessage } from './synthetic-history';

export interface ReplayCounts {
  lines: number;
  messages: number;
  rejected: number;
  unknownDevice: number;
}

interface DeviceInfo {
  kind: DeviceKind;
  subject: TelemetrySubject;
  floorRange?: { min: number; max: number };
}

/**
 * Replays a simulator run (`DIR/registry.json`, `DIR/messages.jsonl`, protocol.md "Replay files") as
 * the engine would hand messages to the store: topic -> registry device -> contracts parser, with
 * each line's receive time as the platform clock. Rejected payloads are counted and skipped.
 */
export async function* replayMessageLog(dir: string, counts: ReplayCounts): AsyncGenerator<RecordedMessage> {
  const devices = loadDevices(path.join(dir, 'registry.json'));
  const input = readline.createInterface({ input: fs.createReadStream(path.join(dir, 'messages.jsonl'), { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const text of input) {
    if (!text) continue;
    counts.lines++;
    const line = JSON.parse(text) as { t: number; topic: string; payload: unknown };
    const topic = parseTopic(line.topic);
    const device = topic ? devices.get(topic.deviceId) : undefined;
    if (!topic || !device) {
      counts.unknownDevice++;
      continue;
    }
    const parsed = parseDevicePayload(line.payload, { deviceId: topic.deviceId, kind: device.kind, channel: topic.channel, now: line.t, ...(device.floorRange ? { floorRange: device.floorRange } : {}) });
    if (!parsed.ok) {
      counts.rejected++;
      continue;
    }
    counts.messages++;
    yield { message: parsed.value, subject: device.subject, receivedAt: line.t };
  }
}

function loadDevices(file: string): Map<string, DeviceInfo> {
  const reg = parseRegistryFile(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!reg.ok) throw new Error(`${file}: ${reg.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const kinds = new Map(reg.value.devices.map((d) => [d.id, d.kind]));
  const out = new Map<string, DeviceInfo>();
  for (const r of reg.value.residents) {
    for (const d of r.devices) {
      const kind = kinds.get(d);
      if (kind) out.set(d, { kind, subject: { type: 'resident', id: r.id, site: r.site } });
    }
  }
  for (const e of reg.value.elevators) {
    out.set(e.device, { kind: 'elevator', subject: { type: 'elevator', id: e.id, site: e.site }, floorRange: { min: e.minFloor, max: e.maxFloor } });
  }
  for (const d of reg.value.devices) if (!out.has(d.id)) out.set(d.id, { kind: d.kind, subject: { type: 'device', id: d.id, site: reg.value.sites[0]?.id ?? 'unknown' } });
  return out;
}

/** The site time zone of a simulator run (the first site). */
export function siteTimeZone(dir: string): string {
  const reg = parseRegistryFile(JSON.parse(fs.readFileSync(path.join(dir, 'registry.json'), 'utf8')));
  return (reg.ok && reg.value.sites[0]?.timezone) || 'Asia/Shanghai';
}

export function registryIds(dir: string): { residents: string[]; elevators: string[] } {
  const reg = parseRegistryFile(JSON.parse(fs.readFileSync(path.join(dir, 'registry.json'), 'utf8')));
  if (!reg.ok) throw new Error('bad registry');
  return { residents: reg.value.residents.map((r) => r.id), elevators: reg.value.elevators.map((e) => e.id) };
}
