import type { AedesPublishPacket, Client, PublishPacket } from 'aedes';
import { parseDevicePayload, parseTopic, type RejectionReason } from '@hearthbeat/contracts';
import { mayPublish, mayRead } from '../acl/access.policy';
import type { BrokerRegistry } from '../auth/connect.authenticator';
import type { DropReason } from '../metrics/broker.metrics';
import type { RejectionTable } from '../validation/rejection.table';
import type { ClientGate, GateContext } from './client.gate';
import { describeConnection, type ConnectionState } from './connection.state';

/**
 * Where dropped publishes go. [MQTT-3.3.5-2]: a server that refuses a PUBLISH "has no way of informing
 * that Client. It MUST either make a positive acknowledgement ... or close the Network Connection".
 * The broker keeps the connection (a device with one bad reading must stay online), so the packet is
 * acknowledged as usual and re-addressed here: not retained, on a `$SYS` topic no wildcard reaches
 * ([MQTT-4.7.2-1]), and never forwarded (authorizeForward refuses it for every subscriber).
 */
export const DROP_SINK_TOPIC = '$SYS/hearthbeat/dropped';

type Verdict = { ok: true } | { ok: false; drop: DropReason; reason?: RejectionReason; detail: string };

/** authorizePublish and authorizeForward: rate limit, access rules and payload validation at the edge. */
export class PublishGate {
  constructor(
    private readonly ctx: GateContext & { rejections: RejectionTable; stopping: () => boolean },
    private readonly clients: ClientGate,
  ) {}

  readonly authorizePublish = (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void => {
    // aedes passes null only for Wills left by another broker of a cluster; this broker runs alone.
    if (client === null) return callback(null);
    const state = this.clients.state(client);
    // aedes authorizes a client's Will after the connection closed; a closed client sends nothing else.
    if (client.closed) return this.authorizeWill(state, packet, callback);

    this.ctx.metrics.received.inc();
    const verdict = this.check(state, packet, true);
    if (verdict.ok) return callback(null);
    this.ctx.metrics.dropped.inc({ reason: verdict.drop });
    const who = describeConnection(state);
    this.clients.warn(`drop:${who}:${verdict.drop}:${verdict.reason ?? ''}`, { clientId: who, topic: packet.topic, reason: verdict.drop, rejection: verdict.reason, detail: verdict.detail }, 'PUBLISH dropped');
    packet.topic = DROP_SINK_TOPIC;
    packet.retain = false;
    callback(null);
  };

  readonly authorizeForward = (client: Client, packet: AedesPublishPacket): AedesPublishPacket | null => {
    if (packet.topic === DROP_SINK_TOPIC) return null;
    const rules = this.clients.state(client)?.rules;
    // Checked per message too: retained and queued messages reach a subscriber without a new SUBSCRIBE.
    if (!rules || !mayRead(rules, packet.topic)) return null;
    this.ctx.metrics.delivered.inc();
    return packet;
  };

  private authorizeWill(state: ConnectionState | undefined, packet: PublishPacket, callback: (error?: Error | null) => void): void {
    // Stopping the broker is not the devices going offline: no Will storm into the engine.
    if (this.ctx.stopping()) return callback(new Error('broker stopping: Will not published'));
    const verdict = this.check(state, packet, false);
    if (!verdict.ok) {
      this.ctx.metrics.dropped.inc({ reason: verdict.drop });
      this.clients.warn(`will:${describeConnection(state)}`, { clientId: describeConnection(state), topic: packet.topic, reason: verdict.drop, detail: verdict.detail }, 'Will dropped');
      return callback(new Error(verdict.detail));
    }
    this.ctx.metrics.willsPublished.inc();
    this.ctx.logger.info({ clientId: describeConnection(state), topic: packet.topic }, 'Will published');
    callback(null);
  }

  private check(state: ConnectionState | undefined, packet: PublishPacket, rateLimited: boolean): Verdict {
    if (!state?.identity || !state.rules) return { ok: false, drop: 'acl_denied', detail: 'not authenticated' };
    if (rateLimited && state.bucket && !state.bucket.take(this.ctx.clock())) {
      return { ok: false, drop: 'rate_limited', detail: `over ${this.ctx.clientMsgRate} msg/s (burst ${2 * this.ctx.clientMsgRate})` };
    }
    // `$SYS/...` carries aedes' own cluster messages (e.g. `$SYS/<id>/new/clients` closes a client by
    // id), so no client writes there, whatever the access file says.
    if (packet.topic.startsWith('$SYS/') || !mayPublish(state.rules, packet.topic)) {
      return { ok: false, drop: 'acl_denied', detail: `no write access to ${packet.topic}` };
    }
    return this.validate(packet);
  }

  /** protocol.md, "Bad input": device payloads are checked here, whoever publishes them. */
  private validate(packet: PublishPacket): Verdict {
    const parsed = parseTopic(packet.topic);
    if (!parsed || parsed.channel === 'cmd') return { ok: true };
    const device = this.registry.getDevice(parsed.deviceId);
    if (!device) {
      this.ctx.metrics.rejections.inc({ reason: 'unknown_device' });
      return { ok: false, drop: 'unknown_device', reason: 'unknown_device', detail: `no device ${parsed.deviceId} in the registry` };
    }
    const now = this.ctx.clock();
    const result = parseDevicePayload(packet.payload, {
      deviceId: device.id,
      kind: device.kind,
      channel: parsed.channel,
      now,
      ...(device.floorRange ? { floorRange: device.floorRange } : {}),
    });
    if (result.ok) return { ok: true };
    this.ctx.metrics.rejections.inc({ reason: result.rejection.reason });
    this.ctx.rejections.record(device.id, result.rejection, now);
    return { ok: false, drop: 'invalid_payload', reason: result.rejection.reason, detail: result.rejection.message };
  }

  private get registry(): BrokerRegistry {
    return this.ctx.registry;
  }
}
