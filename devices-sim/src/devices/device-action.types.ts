import type { DeviceKind, DevicePublishChannel, TruthLine } from '@hearthbeat/contracts';

/** A payload as the device builds it; a string stands for bytes that are not JSON (garbage). */
export type Payload = Record<string, unknown> | string;

/**
 * What a simulated device does, in the order it does it. `at` is the device's own clock (epoch ms):
 * when it sends. The offline writer adds network delay to get the receive time `t`; the live runner
 * publishes at `at` mapped onto the wall clock.
 */
export type DeviceAction =
  | { type: 'publish'; at: number; channel: DevicePublishChannel; payload: Payload; retain?: boolean }
  /** The device loses its connection without a DISCONNECT (power, fire, radio): the broker fires the Will. */
  | { type: 'offline'; at: number }
  /** The device (re)connects and announces `{"online":true}`. Every stream starts with one. */
  | { type: 'online'; at: number };

export type PublishAction = Extract<DeviceAction, { type: 'publish' }>;

/** A device's actions, infinite or until the device is gone for good; callers stop pulling at their horizon. */
export type DeviceStream = Iterator<DeviceAction, void>;

/** A device of the simulated fleet, ready to run. */
export interface SimDevice {
  id: string;
  kind: DeviceKind;
  /** Elevators: the floor range, which parsers need to judge `floor`. */
  floorRange?: { min: number; max: number };
  /** Creates the device's action stream; called once per run. */
  stream(): DeviceStream;
}

/** Where scenarios report what really happened, for truth.jsonl. */
export interface TruthSink {
  record(line: TruthLine): void;
}

/** Collects truth lines and returns them in a stable order. */
export class TruthCollector implements TruthSink {
  private readonly lines: TruthLine[] = [];

  record(line: TruthLine): void {
    this.lines.push(line);
  }

  /** Lines that started before `until`, sorted by start, subject, kind, device. */
  sorted(until = Number.POSITIVE_INFINITY): TruthLine[] {
    return this.lines
      .filter((l) => l.start < until)
      .sort((a, b) => a.start - b.start || cmp(a.subject, b.subject) || cmp(a.kind, b.kind) || cmp(a.deviceId ?? '', b.deviceId ?? ''));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A truth line with a stable key order: subject, kind, deviceId, start, end, note. */
export function truthLine(subject: string, kind: string, start: number, end: number, deviceId?: string, note?: string): TruthLine {
  return { subject, kind, ...(deviceId !== undefined ? { deviceId } : {}), start, end, ...(note !== undefined ? { note } : {}) };
}
