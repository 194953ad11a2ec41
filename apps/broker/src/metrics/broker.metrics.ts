import { Counter, Gauge, Registry } from 'prom-client';
import { REJECTION_REASONS } from '@hearthbeat/contracts';
import { FRAME_VIOLATIONS } from '../transport/frame.scanner';

/** Why a PUBLISH was received but not forwarded. */
export const DROP_REASONS = ['acl_denied', 'rate_limited', 'invalid_payload', 'unknown_device'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Why a CONNECT was refused for the client's identity or credentials (return codes 2, 4, 5). */
export const AUTH_FAILURE_REASONS = [
  'identifier_rejected',
  'anonymous_not_allowed',
  'missing_password',
  'unknown_username',
  'bad_password',
  'client_id_mismatch',
  'role_not_allowed',
  'will_not_authorized',
] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** Why a CONNECT was refused for the broker's sake (return codes 1 and 3). */
export const REFUSAL_REASONS = ['max_connections', 'unsupported_protocol'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Packet-level faults that closed a connection: the framing violations plus what mqtt-packet or aedes refused. */
export const PACKET_ERROR_REASONS = [...FRAME_VIOLATIONS, 'malformed_packet', 'invalid_topic', 'flow_control'] as const;
export type PacketErrorReason = (typeof PACKET_ERROR_REASONS)[number];

export const SUBSCRIBE_DENIAL_REASONS = ['denied_by_rule', 'not_granted', 'invalid_filter'] as const;

/**
 * The broker's Prometheus metrics, in a registry of their own (never prom-client's global one) so that
 * several components can run in one process and the platform can merge them into its /metrics.
 * Device ids are never a label (cardinality): per-device counts are in the rejection table.
 */
export class BrokerMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge;
  readonly sockets: Gauge;
  readonly connects: Counter;
  readonly received: Counter;
  readonly delivered: Counter;
  readonly rejections: Counter<'reason'>;
  readonly dropped: Counter<'reason'>;
  readonly authFailures: Counter<'reason'>;
  readonly refused: Counter<'reason'>;
  readonly packetErrors: Counter<'reason'>;
  readonly subscribeDenied: Counter<'reason'>;
  readonly keepaliveTimeouts: Counter;
  readonly willsPublished: Counter;

  constructor(sample: { connections: () => number; sockets: () => number }) {
    const registers = [this.registry];
    this.connections = new Gauge({
      name: 'hb_broker_connections',
      help: 'Authenticated MQTT clients currently connected',
      registers,
      collect() {
        this.set(sample.connections());
      },
    });
    this.sockets = new Gauge({
      name: 'hb_broker_sockets',
      help: 'Open network connections (TCP, TLS, WebSocket), authenticated or not',
      registers,
      collect() {
        this.set(sample.sockets());
      },
    });
    this.connects = new Counter({ name: 'hb_broker_connects_total', help: 'CONNECTs accepted', registers });
    this.received = new Counter({ name: 'hb_broker_messages_received_total', help: 'PUBLISH packets received from clients', registers });
    this.delivered = new Counter({ name: 'hb_broker_messages_delivered_total', help: 'PUBLISH packets sent to subscribers', registers });
    this.rejections = this.labelled('hb_broker_payload_rejections_total', 'Device payloads rejected at the edge, by reason', REJECTION_REASONS);
    this.dropped = this.labelled('hb_broker_publishes_dropped_total', 'PUBLISH packets received but not forwarded, by reason', DROP_REASONS);
    this.authFailures = this.labelled('hb_broker_auth_failures_total', 'CONNECTs refused for identity or credentials, by reason', AUTH_FAILURE_REASONS);
    this.refused = this.labelled('hb_broker_connections_refused_total', 'CONNECTs refused by broker limits, by reason', REFUSAL_REASONS);
    this.packetErrors = this.labelled('hb_broker_packet_errors_total', 'Connections closed for a malformed or forbidden packet, by reason', PACKET_ERROR_REASONS);
    this.subscribeDenied = this.labelled('hb_broker_subscriptions_denied_total', 'Subscriptions answered with 0x80, by reason', SUBSCRIBE_DENIAL_REASONS);
    this.keepaliveTimeouts = new Counter({ name: 'hb_broker_keepalive_timeouts_total', help: 'Clients closed after 1.5x their keepalive without a packet', registers });
    this.willsPublished = new Counter({ name: 'hb_broker_wills_published_total', help: 'Last Wills published after an unclean disconnect', registers });
  }

  /** A counter whose every known reason is present from the start at 0, so dashboards see all series. */
  private labelled(name: string, help: string, reasons: readonly string[]): Counter<'reason'> {
    const c = new Counter({ name, help, labelNames: ['reason'] as const, registers: [this.registry] });
    for (const reason of reasons) c.inc({ reason }, 0);
    return c;
  }
}
