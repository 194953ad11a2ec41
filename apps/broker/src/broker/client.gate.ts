import type { Logger } from 'pino';
import type { AuthenticateError, Client, ConnectPacket, Subscription } from 'aedes';
import { statusTopic } from '@hearthbeat/contracts';
import type { AclFile } from '../acl/acl-file.parser';
import { mayPublish, maySubscribe, resolveAccessRules, type AccessRules, type Principal } from '../acl/access.policy';
import { ConnectAuthenticator, type BrokerRegistry, type ClientIdentity } from '../auth/connect.authenticator';
import { TokenBucket } from '../limits/token-bucket.limiter';
import type { LogThrottle } from '../logging/log.throttle';
import type { BrokerMetrics } from '../metrics/broker.metrics';
import { describeConnection, type ConnectionState, type Transport } from './connection.state';

/** The Last Will the broker installs for a device that set none (protocol.md, "Topics": status). */
export const OFFLINE_PAYLOAD = '{"online":false}';

export interface GateContext {
  registry: BrokerRegistry;
  metrics: BrokerMetrics;
  logger: Logger;
  throttle: LogThrottle;
  clock: () => number;
  allowAnonymous: boolean;
  maxConnections: number;
  clientMsgRate: number;
  acl: () => AclFile;
}

function principalOf(identity: ClientIdentity): Principal {
  return identity.kind === 'anonymous' ? { kind: 'anonymous', clientId: identity.clientId } : { kind: identity.kind, clientId: identity.clientId, username: identity.username };
}

function authError(returnCode: 2 | 3 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * Who may connect, and what each connection may subscribe to: aedes' preConnect, authenticate and
 * authorizeSubscribe hooks, plus the per-connection state every other hook reads.
 */
export class ClientGate {
  // Weak, and kept after the socket closed: aedes authorizes a Will after the connection is gone.
  private readonly states = new WeakMap<Client, ConnectionState>();
  private readonly live = new Set<ConnectionState>();
  private slotsInUse = 0;
  private readonly authenticator: ConnectAuthenticator;

  constructor(private readonly ctx: GateContext) {
    this.authenticator = new ConnectAuthenticator(ctx.registry, {
      allowAnonymous: ctx.allowAnonymous,
      hasAclSection: (username) => ctx.acl().users.has(username),
    });
  }

  get connectionCount(): number {
    return this.slotsInUse;
  }

  get socketCount(): number {
    return this.live.size;
  }

  state(client: Client | null): ConnectionState | undefined {
    return client ? this.states.get(client) : undefined;
  }

  track(client: Client, transport: Transport, remote: string): void {
    const state: ConnectionState = { transport, remote, slot: false };
    this.states.set(client, state);
    this.live.add(state);
  }

  /** The socket closed: its slot is free. The state stays readable for the Will that may follow. */
  untrack(client: Client): void {
    const state = this.states.get(client);
    if (!state) return;
    if (state.slot) this.slotsInUse--;
    state.slot = false;
    this.live.delete(state);
  }

  /** Re-resolves every connection's rules after the access file changed. */
  refreshRules(): void {
    for (const state of this.live) {
      if (state.identity) state.rules = resolveAccessRules(principalOf(state.identity), this.ctx.acl());
    }
  }

  readonly preConnect = (client: Client, packet: ConnectPacket, callback: (error: Error | null, success: boolean) => void): void => {
    const state = this.states.get(client);
    if (!state) return callback(null, false);
    const clientId = packet.clientId;
    let syntheticWill = false;
    // A device that set no Will gets {"online":false} retained QoS 1 on its status topic. Installed in
    // the CONNECT packet so aedes stores and fires it as the client's own Will: on a dropped socket, a
    // keepalive expiry or a protocol error, never after a DISCONNECT [MQTT-3.1.2-8], [MQTT-3.14.4-3].
    // It is only stored once authentication succeeded (aedes' storeWill runs after authenticate).
    if (!packet.will && packet.username !== undefined && packet.username === clientId && this.isDevice(clientId)) {
      packet.will = { topic: statusTopic(clientId), payload: Buffer.from(OFFLINE_PAYLOAD), qos: 1, retain: true };
      syntheticWill = true;
    }
    state.connect = { clientId, clean: packet.clean !== false, syntheticWill, ...(packet.will && !syntheticWill ? { willTopic: packet.will.topic } : {}) };
    callback(null, true);
  };

  readonly authenticate = (
    client: Client,
    username: Readonly<string | undefined>,
    password: Readonly<Buffer | undefined>,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void => {
    const state = this.states.get(client);
    const connect = state?.connect;
    if (!state || !connect || !this.live.has(state)) return done(authError(3, 'connection closed'), null);
    if (this.slotsInUse >= this.ctx.maxConnections) {
      this.ctx.metrics.refused.inc({ reason: 'max_connections' });
      this.warn(`refused:max_connections`, { clientId: connect.clientId, reason: 'max_connections', limit: this.ctx.maxConnections }, 'CONNECT refused: too many connections');
      return done(authError(3, 'server unavailable: connection limit reached'), null);
    }
    // The slot is held while credentials are checked, so concurrent CONNECTs cannot overshoot the limit.
    state.slot = true;
    this.slotsInUse++;
    const release = () => {
      if (state.slot) this.slotsInUse--;
      state.slot = false;
    };
    this.authenticator
      .authenticate({ clientId: connect.clientId, effectiveClientId: client.id, clean: connect.clean, username, password })
      .then((outcome) => {
        if (!outcome.ok) {
          release();
          this.ctx.metrics.authFailures.inc({ reason: outcome.reason });
          this.warn(`auth:${outcome.reason}:${connect.clientId}`, { clientId: connect.clientId, remote: state.remote, reason: outcome.reason, returnCode: outcome.returnCode, detail: outcome.detail }, 'CONNECT refused');
          return done(authError(outcome.returnCode, outcome.detail), null);
        }
        const rules = resolveAccessRules(principalOf(outcome.identity), this.ctx.acl());
        if (connect.willTopic !== undefined && !this.mayWriteWill(rules, connect.willTopic)) {
          release();
          this.ctx.metrics.authFailures.inc({ reason: 'will_not_authorized' });
          this.warn(`auth:will:${connect.clientId}`, { clientId: connect.clientId, reason: 'will_not_authorized', willTopic: connect.willTopic }, 'CONNECT refused');
          return done(authError(5, `not authorized to publish the Will on ${connect.willTopic}`), null);
        }
        state.identity = outcome.identity;
        state.rules = rules;
        state.bucket = new TokenBucket(this.ctx.clientMsgRate, 2 * this.ctx.clientMsgRate, this.ctx.clock());
        this.ctx.metrics.connects.inc();
        this.ctx.logger.debug({ clientId: client.id, kind: outcome.identity.kind, transport: state.transport, remote: state.remote }, 'client authenticated');
        done(null, true);
      })
      .catch((err: unknown) => {
        // The registry failed (e.g. database closed): tell the client to come back later.
        release();
        this.ctx.logger.error({ err, clientId: connect.clientId }, 'authentication failed with an error');
        done(authError(3, 'server unavailable'), null);
      });
  };

  readonly authorizeSubscribe = (client: Client, sub: Subscription, callback: (error: Error | null, subscription?: Subscription | null) => void): void => {
    const state = this.states.get(client);
    const decision = state?.rules ? maySubscribe(state.rules, sub.topic) : ({ granted: false, reason: 'not_granted' } as const);
    if (decision.granted) return callback(null, sub);
    // [MQTT-3.9.3] return code 0x80: aedes answers a null subscription with 128 in the SUBACK.
    this.ctx.metrics.subscribeDenied.inc({ reason: decision.reason });
    this.warn(`sub:${describeConnection(state)}:${decision.reason}`, { clientId: describeConnection(state), filter: sub.topic, reason: decision.reason }, 'SUBSCRIBE refused (0x80)');
    callback(null, null);
  };

  /** A registry fault here must not stop the CONNECT: authentication then answers it (return code 3). */
  private isDevice(id: string): boolean {
    try {
      return this.ctx.registry.getDevice(id) !== undefined;
    } catch {
      return false;
    }
  }

  private mayWriteWill(rules: AccessRules, topic: string): boolean {
    // Checked at CONNECT as mosquitto does: a Will the client could not publish itself is refused (5).
    return !topic.startsWith('$') && mayPublish(rules, topic);
  }

  /** Logs a warning at most once per throttle interval and key, with the count suppressed meanwhile. */
  warn(key: string, fields: Record<string, unknown>, message: string): void {
    const admitted = this.ctx.throttle.admit(key);
    if (admitted) this.ctx.logger.warn(admitted.suppressed > 0 ? { ...fields, suppressed: admitted.suppressed } : fields, message);
  }
}
