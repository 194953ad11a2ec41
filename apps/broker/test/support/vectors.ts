import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceKind } from '@hearthbeat/contracts';

export interface PayloadVector {
  deviceKind: DeviceKind;
  topic: 'telemetry' | 'event' | 'status';
  /** A JSON value; a string stands for raw bytes (possibly not JSON), as in the contracts' vectors. */
  payload: unknown;
  valid: boolean;
  why: string;
}

/** The protocol's test vectors, vendored in libs/contracts (protocol.md: "Test vectors"). */
export function loadProtocolVectors(): PayloadVector[] {
  const file = path.join(__dirname, '..', '..', '..', '..', 'libs', 'contracts', 'test', 'fixtures', 'payloads.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PayloadVector);
}

export const payloadBytes = (payload: unknown): Buffer => Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
