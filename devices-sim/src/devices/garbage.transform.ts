import type { DeviceKind, DevicePublishChannel, RejectionReason } from '@hearthbeat/contracts';
import type { DeviceAction, DeviceStream, Payload } from './device-action.types';
import { inWindow, mergeWindows } from './device-plan.types';

/** The faults a broken firmware or a bad gateway produces, each named by the rejection it must cause. */
export const GARBAGE_VARIANTS = ['not_json', 'wrong_type', 'out_of_range', 'unknown_enum', 'missing_field'] as const satisfies readonly RejectionReason[];
export type GarbageVariant = (typeof GARBAGE_VARIANTS)[number];

export function garbageNote(_kind: DeviceKind): string {
  return `corrupted payloads; expected rejections: ${GARBAGE_VARIANTS.join(', ')}`;
}

export interface Corrupted {
  channel: DevicePublishChannel;
  payload: Payload;
}

/**
 * Corrupts one payload so that protocol v1 parsing rejects it with `variant` as the reason. Elevator
 * floors are pushed outside the car's range, which a parser only catches with the registry's floor range.
 */
export function corrupt(kind: DeviceKind, channel: DevicePublishChannel, payload: Record<string, unknown>, variant: GarbageVariant, maxFloor = 0): Corrupted {
  const p: Record<string, unknown> = { ...payload };
  switch (variant) {
    case 'not_json': {
      // A frame cut short by the radio: the first half of the real JSON.
      const text = JSON.stringify(payload);
      return { channel, payload: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    case 'missing_field':
      delete p['ts'];
      return { channel, payload: p };
    case 'wrong_type':
      if (channel === 'event') p['ts'] = new Date(Number(p['ts'])).toISOString();
      else if (kind === 'water_meter' && Array.isArray(p['readings'])) {
        const [first, ...rest] = p['readings'] as Record<string, unknown>[];
        p['readings'] = [{ ...first, totalL: String(first?.['totalL']) }, ...rest];
      } else if (kind === 'water_meter') p['totalL'] = String(p['totalL']);
      else if (kind === 'smoke_alarm') p['batteryPct'] = `${String(p['batteryPct'])}%`;
      else p['doorZone'] = p['doorZone'] ? 'yes' : 'no';
      return { channel, payload: p };
    case 'out_of_range':
      if (channel === 'event') p['ts'] = -1;
      else if (kind === 'elevator') p['floor'] = maxFloor + 10;
      else p['batteryPct'] = 255;
      return { channel, payload: p };
    case 'unknown_enum':
      if (channel === 'event') p['event'] = String(p['event']).toUpperCase() + '!';
      else if (kind === 'water_meter') p['valve'] = 'half';
      else if (kind === 'elevator') p['direction'] = 'sideways';
      else {
        // A smoke heartbeat has no enum: this firmware announces its heartbeat as an unknown event.
        return { channel: 'event', payload: { ts: p['ts'], seq: p['seq'], event: 'heartbeat' } };
      }
      return { channel, payload: p };
  }
}

/**
 * Wraps a device stream: every telemetry or event message sent inside a garbage window is corrupted,
 * cycling through the variants so that a window of five or more messages shows each of them.
 */
export function* withGarbage(stream: DeviceStream, windows: [number, number][], kind: DeviceKind, maxFloor = 0): Generator<DeviceAction, void> {
  const merged = mergeWindows(windows);
  let n = 0;
  for (let r = stream.next(); !r.done; r = stream.next()) {
    const a = r.value;
    if (a.type !== 'publish' || a.channel === 'status' || typeof a.payload === 'string' || !inWindow(merged, a.at)) {
      yield a;
      continue;
    }
    const variant = GARBAGE_VARIANTS[n++ % GARBAGE_VARIANTS.length] as GarbageVariant;
    const c = corrupt(kind, a.channel, a.payload, variant, maxFloor);
    yield { ...a, channel: c.channel, payload: c.payload };
  }
}
