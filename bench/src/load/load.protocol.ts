import type { BenchDevice } from '../fleet/bench-fleet';

/** What a load generator connects to and as whom. */
export interface ConnectPlan {
  host: string;
  port: number;
  devices: BenchDevice[];
  keepaliveS: number;
  /** Source addresses to spread connections over (127.0.0.x), `perAddress` connections each. */
  localAddresses: string[];
  perAddress: number;
  /** Global position of this process's first device (several processes share one address plan). */
  firstIndex?: number;
  /** CONNECTs in flight at once (the listen backlog is 511 in Node, 100 in mosquitto). */
  concurrency: number;
}

export interface RunPlan {
  /** QoS 1 PUBLISHes in flight per connection. */
  window: number;
  /** Messages per second over all connections; 0 = as fast as the windows allow. */
  ratePerS: number;
  /** Reading time of a water meter's message 0 (see load-payloads.ts). */
  waterEpoch: number;
  /** Per device (same order as the connect plan): the index of its next message. */
  startIndex: number[];
  /** Pause when acknowledged minus delivered-at-the-sink exceeds this (keeps a slow sink's queue bounded). */
  maxBacklog: number;
  /** Stop sending after this many messages in all (smoke tests); unlimited when absent. */
  maxMessages?: number;
}

export interface ConnectReport {
  type: 'connected';
  connected: number;
  failed: number;
  /** Failures by reason (e.g. "CONNACK return code 5", "EADDRNOTAVAIL"). */
  reasons: Record<string, number>;
  seconds: number;
}

export interface StopReport {
  type: 'stopped';
  sent: number;
  acked: number;
  /** PUBLISHes still unacknowledged when the stop gave up waiting. */
  unacked: number;
  /** Per device, the index of the next message (to continue reading time in a later run). */
  nextIndex: number[];
  payloadBytesMean: number;
}

/** Parent -> load generator. */
export type LoadCommand =
  | ({ type: 'connect' } & ConnectPlan)
  | ({ type: 'start' } & RunPlan)
  | { type: 'delivered'; delivered: number }
  | { type: 'stop'; timeoutMs: number }
  | { type: 'close' }
  | { type: 'exit' };
