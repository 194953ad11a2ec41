import type { z } from 'zod';
import type { DeviceKind } from './ids';
import type { Channel } from './topics';
import {
  MAX_FUTURE_SKEW_MS,
  MAX_PAYLOAD_BYTES,
  elevatorEventSchema,
  elevatorTelemetrySchema,
  smokeEventSchema,
  smokeTelemetrySchema,
  statusSchema,
  waterEventSchema,
  waterTelemetrySchema,
  type ElevatorEvent,
  type ElevatorTelemetry,
  type SmokeEvent,
  type SmokeTelemetry,
  type StatusPayload,
  type WaterEvent,
  type WaterTelemetry,
} from './payloads';

/** Why a payload or message was refused. Stable codes: they label metrics and API answers. */
export const REJECTION_REASONS = [
  'payload_too_large',
  'not_json',
  'not_an_object',
  'missing_field',
  'wrong_type',
  'out_of_range',
  'unknown_enum',
  'ts_in_future',
  'wrong_topic',
  'unknown_device',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  /** Dotted path of the offending field, e.g. `readings[1].totalL`; absent for whole-payload faults. */
  field?: string;
  /** The offending value (truncated when long); absent when the field is missing. */
  value?: unknown;
  /** A human-readable sentence naming the field and the value. */
  message: string;
}

interface Msg<K extends DeviceKind, C extends Channel, B> {
  deviceId: string;
  kind: K;
  channel: C;
  body: B;
}
export type DeviceMessage =
  | Msg<'water_meter', 'telemetry', WaterTelemetry>
  | Msg<'water_meter', 'event', WaterEvent>
  | Msg<'smoke_alarm', 'telemetry', SmokeTelemetry>
  | Msg<'smoke_alarm', 'event', SmokeEvent>
  | Msg<'elevator', 'telemetry', ElevatorTelemetry>
  | Msg<'elevator', 'event', ElevatorEvent>
  | Msg<DeviceKind, 'status', StatusPayload>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export interface ParseContext {
  deviceId: string;
  kind: DeviceKind;
  channel: Channel;
  /** The platform clock, epoch ms; `ts` beyond now + 24 h is refused. */
  now: number;
  /** Elevators: the car's floor range from the registry. */
  floorRange?: { min: number; max: number };
}

const SCHEMAS: Record<DeviceKind, Partial<Record<Channel, z.ZodType>>> = {
  water_meter: { telemetry: waterTelemetrySchema, event: waterEventSchema, status: statusSchema },
  smoke_alarm: { telemetry: smokeTelemetrySchema, event: smokeEventSchema, status: statusSchema },
  elevator: { telemetry: elevatorTelemetrySchema, event: elevatorEventSchema, status: statusSchema },
};

export function reject(reason: RejectionReason, message: string, field?: string, value?: unknown): { ok: false; rejection: Rejection } {
  const rejection: Rejection = { reason, message };
  if (field !== undefined) rejection.field = field;
  if (value !== undefined) rejection.value = clip(value);
  return { ok: false, rejection };
}

function clip(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 64) return `${value.slice(0, 61)}...`;
  if (typeof value === 'object' && value !== null) {
    const s = JSON.stringify(value);
    return s.length > 64 ? `${s.slice(0, 61)}...` : value;
  }
  return value;
}

function show(value: unknown): string {
  const v = clip(value);
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Decodes raw bytes (MQTT), a string (a replayed bad payload) or an already-decoded value. */
export function decodeJson(payload: Uint8Array | string | unknown): ParseResult<Record<string, unknown>> {
  let value: unknown = payload;
  // ArrayBuffer.isView, not instanceof: a Buffer from another realm (a test VM) is still bytes.
  if (ArrayBuffer.isView(payload) || typeof payload === 'string') {
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
    if (size > MAX_PAYLOAD_BYTES) {
      return reject('payload_too_large', `payload is ${size} bytes; the limit is ${MAX_PAYLOAD_BYTES}`, undefined, size);
    }
    const text = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      return reject('not_json', `payload is not JSON: ${show(text)}`, undefined, text);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return reject('not_an_object', `payload must be a JSON object, got ${what}`, undefined, value);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function fromIssue(issue: z.core.$ZodIssue, input: unknown): { ok: false; rejection: Rejection } {
  const field = pathOf(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return reject('missing_field', `field "${field}" is required`, field);
      return reject('wrong_type', `field "${field}" must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}, got ${show(value)}`, field, value);
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `>= ${String(issue.minimum)}` : `<= ${String(issue.maximum)}`;
      const what = Array.isArray(value) ? `${value.length} item(s)` : show(value);
      return reject('out_of_range', `field "${field}" is ${what}; it must be ${bound}`, field, value);
    }
    case 'invalid_value':
      return reject('unknown_enum', `field "${field}" has unknown value ${show(value)}; expected one of ${issue.values.map(String).join('|')}`, field, value);
    default:
      return reject('wrong_type', `field "${field}" is invalid (${issue.message}), got ${show(value)}`, field, value);
  }
}

/**
 * Parses one device payload for a known device. Returns the typed message or the first problem found,
 * named by reason, field and value. Unknown fields are ignored (protocol.md: forward compatibility).
 */
export function parseDevicePayload(payload: Uint8Array | string | unknown, ctx: ParseContext): ParseResult<DeviceMessage> {
  const schema = SCHEMAS[ctx.kind][ctx.channel];
  if (!schema) return reject('wrong_topic', `a device does not publish on "${ctx.channel}"`, 'topic', ctx.channel);
  const decoded = decodeJson(payload);
  if (!decoded.ok) return decoded;
  const raw = decoded.value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return reject('wrong_type', 'payload is invalid');
    return fromIssue(issue, raw);
  }
  const body = parsed.data as { ts?: number; floor?: number; totalL?: number; readings?: { ts: number }[] };
  if (ctx.kind === 'water_meter' && ctx.channel === 'telemetry' && body.totalL === undefined && body.readings === undefined) {
    return reject('missing_field', 'water telemetry needs "totalL" or "readings"', 'totalL');
  }
  const limit = ctx.now + MAX_FUTURE_SKEW_MS;
  const future = (t: number | undefined, field: string) =>
    t !== undefined && t > limit
      ? reject('ts_in_future', `field "${field}" is ${t}, more than 24 h ahead of the platform clock (${ctx.now})`, field, t)
      : null;
  const topFuture = future(body.ts, 'ts');
  if (topFuture) return topFuture;
  if (body.readings) {
    for (let i = 0; i < body.readings.length; i++) {
      const r = future(body.readings[i]?.ts, `readings[${i}].ts`);
      if (r) return r;
    }
  }
  if (ctx.floorRange && body.floor !== undefined && (body.floor < ctx.floorRange.min || body.floor > ctx.floorRange.max)) {
    return reject(
      'out_of_range',
      `field "floor" is ${body.floor}; this elevator serves floors ${ctx.floorRange.min}..${ctx.floorRange.max}`,
      'floor',
      body.floor,
    );
  }
  return { ok: true, value: { deviceId: ctx.deviceId, kind: ctx.kind, channel: ctx.channel, body } as DeviceMessage };
}
