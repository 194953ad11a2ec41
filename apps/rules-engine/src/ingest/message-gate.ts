import { parseDevicePayload, parseTopic, reject, type DeviceMessage, type Rejection, type RejectionReason } from '@hearthbeat/contracts';
import type { DeviceRecord } from '@hearthbeat/registry';

export interface DeviceDirectory {
  getDevice(id: string): DeviceRecord | undefined;
}

export type GateResult = { ok: true; message: DeviceMessage; device: DeviceRecord } | { ok: false; deviceId?: string; rejection: Rejection };

/**
 * The engine's edge: a raw MQTT message becomes a typed device message or a named rejection. The
 * project's broker already refuses bad payloads, but the engine also runs behind other brokers
 * (mosquitto), so it never trusts what arrives.
 */
export class MessageGate {
  private readonly counts = new Map<string, Map<RejectionReason, number>>();

  constructor(private readonly devices: DeviceDirectory) {}

  admit(topic: string, payload: Uint8Array | string | unknown, now: number): GateResult {
    const parsed = parseTopic(topic);
    if (!parsed) return this.count(undefined, reject('wrong_topic', `not a protocol v1 device topic: ${topic}`, 'topic', topic).rejection);
    const device = this.devices.getDevice(parsed.deviceId);
    if (!device) {
      return this.count(parsed.deviceId, reject('unknown_device', `device "${parsed.deviceId}" is not in the registry`, 'deviceId', parsed.deviceId).rejection);
    }
    const result = parseDevicePayload(payload, {
      deviceId: device.id,
      kind: device.kind,
      channel: parsed.channel,
      now,
      ...(device.floorRange ? { floorRange: device.floorRange } : {}),
    });
    if (!result.ok) return this.count(device.id, result.rejection);
    return { ok: true, message: result.value, device };
  }

  /** Rejections counted per device and reason (for device health and metrics). */
  rejections(): { deviceId: string; reason: RejectionReason; count: number }[] {
    const out: { deviceId: string; reason: RejectionReason; count: number }[] = [];
    for (const [deviceId, byReason] of this.counts) for (const [reason, count] of byReason) out.push({ deviceId, reason, count });
    return out;
  }

  private count(deviceId: string | undefined, rejection: Rejection): GateResult {
    const key = deviceId ?? '(none)';
    let byReason = this.counts.get(key);
    if (!byReason) this.counts.set(key, (byReason = new Map()));
    byReason.set(rejection.reason, (byReason.get(rejection.reason) ?? 0) + 1);
    return deviceId === undefined ? { ok: false, rejection } : { ok: false, deviceId, rejection };
  }
}
