import { messageLogLineSchema, parseDevicePayload, parseTopic, type DeviceKind, type DeviceMessage, type RegistryFile } from '@hearthbeat/contracts';

/** Why a log line did not reach the rules: the contracts' rejection reasons, plus faults of the line itself. */
export type LineFault = 'line_not_json' | 'line_invalid' | 'line_out_of_order';

/** `line`: the 1-based line number in the file, set by the source that read it. */
export type Decoded = { ok: true; t: number; message: DeviceMessage; line?: number } | { ok: false; t?: number; reason: string; deviceId?: string; message: string; line?: number };

interface DeviceInfo {
  kind: DeviceKind;
  floorRange?: { min: number; max: number };
}

/**
 * One line of a message log (protocol.md "Replay files") to a typed device message, exactly as the live
 * engine's gate does it: the topic with `parseTopic`, the device's kind (and a lift's floors) from the
 * registry, the payload with `parseDevicePayload` at `now = t` (so "ts more than 24 h ahead" means
 * ahead of the receive time). Unknown devices are refused as `unknown_device`, as live.
 */
export class MessageDecoder {
  private readonly devices = new Map<string, DeviceInfo>();

  constructor(registry: RegistryFile) {
    for (const d of registry.devices) this.devices.set(d.id, { kind: d.kind });
    for (const e of registry.elevators) {
      const d = this.devices.get(e.device);
      if (d) d.floorRange = { min: e.minFloor, max: e.maxFloor };
    }
  }

  decode(line: string): Decoded {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return { ok: false, reason: 'line_not_json', message: 'the line is not JSON' };
    }
    const head = logLineOf(raw);
    if (!head) {
      const r = messageLogLineSchema.safeParse(raw);
      const issue = r.success ? undefined : r.error.issues[0];
      return { ok: false, reason: 'line_invalid', message: `not a message-log line: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}` };
    }
    const { t, topic, payload } = head;
    const parsed = parseTopic(topic);
    if (!parsed) return { ok: false, t, reason: 'wrong_topic', message: `not a protocol v1 device topic: ${topic}` };
    const device = this.devices.get(parsed.deviceId);
    if (!device) return { ok: false, t, reason: 'unknown_device', deviceId: parsed.deviceId, message: `device "${parsed.deviceId}" is not in the registry` };
    const r = parseDevicePayload(payload, {
      deviceId: parsed.deviceId,
      kind: device.kind,
      channel: parsed.channel,
      now: t,
      ...(device.floorRange ? { floorRange: device.floorRange } : {}),
    });
    if (!r.ok) return { ok: false, t, reason: r.rejection.reason, deviceId: parsed.deviceId, message: r.rejection.message };
    return { ok: true, t, message: r.value };
  }
}

/**
 * The fast path of `messageLogLineSchema` (a safe non-negative integer `t`, a non-empty `topic`, a
 * `payload` of any value) without building a zod result per line; a line it refuses is re-checked with the schema
 * for the message, and the spec checks that both agree.
 */
export function logLineOf(raw: unknown): { t: number; topic: string; payload: unknown } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const t: unknown = Reflect.get(raw, 't');
  const topic: unknown = Reflect.get(raw, 'topic');
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || typeof topic !== 'string' || topic.length === 0) return undefined;
  // The schema wants the key present (a payload of null is a payload; a missing one is a bad line).
  if (!Object.prototype.hasOwnProperty.call(raw, 'payload')) return undefined;
  return { t, topic, payload: Reflect.get(raw, 'payload') };
}
