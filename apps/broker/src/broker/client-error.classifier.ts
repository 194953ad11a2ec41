import type { PacketErrorReason, RefusalReason } from '../metrics/broker.metrics';
import { ProtocolViolationError } from './broker.errors';

/** What an error aedes reported for one client means for metrics and logs. */
export type ClientErrorClass =
  | { kind: 'packet'; reason: PacketErrorReason }
  | { kind: 'refused'; reason: RefusalReason }
  /** A CONNACK with return code 2..5 already sent and counted by the authenticator. */
  | { kind: 'connect_refused' }
  | { kind: 'timeout'; reason: 'keepalive_timeout' | 'connect_timeout' | 'drain_timeout' }
  | { kind: 'network'; code: string };

function stringProp(err: Error, key: string): string | undefined {
  const v: unknown = (err as unknown as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}
function numberProp(err: Error, key: string): number | undefined {
  const v: unknown = (err as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : undefined;
}

// Messages of aedes 1.x (lib/handlers/publish.js, subscribe.js, lib/client.js) for faults that are not
// framing or encoding errors. mqtt-packet's parser errors carry no code and end up as malformed_packet.
const MESSAGE_CLASSES: readonly [RegExp, ClientErrorClass][] = [
  [/^keep alive timeout$/, { kind: 'timeout', reason: 'keepalive_timeout' }],
  [/^connect did not arrive in time$/, { kind: 'timeout', reason: 'connect_timeout' }],
  [/^drain timeout$/, { kind: 'timeout', reason: 'drain_timeout' }],
  [/not allowed in PUBLISH|too many levels|^Invalid topic|wildcard/i, { kind: 'packet', reason: 'invalid_topic' }],
  [/queue limit reached|maxInflightInbound/, { kind: 'packet', reason: 'flow_control' }],
];

export function classifyClientError(err: Error): ClientErrorClass {
  if (err instanceof ProtocolViolationError) return { kind: 'packet', reason: err.reason };
  // aedes sets errorCode on a refused CONNECT; 1 is its own "unacceptable protocol version" (MQTT 5 and 3.0).
  const errorCode = numberProp(err, 'errorCode');
  if (errorCode === 1) return { kind: 'refused', reason: 'unsupported_protocol' };
  if (errorCode !== undefined) return { kind: 'connect_refused' };
  for (const [pattern, cls] of MESSAGE_CLASSES) if (pattern.test(err.message)) return cls;
  const code = stringProp(err, 'code');
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return { kind: 'packet', reason: 'packet_too_large' };
  if (code !== undefined) return { kind: 'network', code };
  if (err.message === 'socket closed' || err.message === 'connection closed') return { kind: 'network', code: 'closed' };
  return { kind: 'packet', reason: 'malformed_packet' };
}
