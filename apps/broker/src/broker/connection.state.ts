import type { AccessRules } from '../acl/access.policy';
import type { ClientIdentity } from '../auth/connect.authenticator';
import type { TokenBucket } from '../limits/token-bucket.limiter';

export type Transport = 'tcp' | 'tls' | 'ws';

/** What the broker knows about one network connection, from accept to close. */
export interface ConnectionState {
  transport: Transport;
  remote: string;
  /** From the CONNECT packet (preConnect), before authentication. */
  connect?: { clientId: string; clean: boolean; willTopic?: string; syntheticWill: boolean };
  /** Holds one of the `maxConnections` slots (reserved when authentication starts). */
  slot: boolean;
  identity?: ClientIdentity;
  rules?: AccessRules;
  bucket?: TokenBucket;
}

/** A printable name for logs: the client id once known, else transport and address. */
export function describeConnection(state: ConnectionState | undefined): string {
  if (!state) return 'unknown connection';
  const id = state.identity?.clientId ?? state.connect?.clientId;
  return id !== undefined && id !== '' ? id : `${state.transport}:${state.remote}`;
}
