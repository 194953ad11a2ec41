import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { RejectionReason } from '@hearthbeat/contracts';
import type { DeviceRecord, RegistryStore } from '@hearthbeat/registry';
import type { Subscription } from 'rxjs';
import { EngineRuntime } from '../engine.runtime';
import { BROKER_HEALTH, REGISTRY } from '../engine.tokens';
import type { BrokerHealth } from '../ops/ops.controller';

export interface RejectionCount {
  /** Which edge refused it: the broker (before publishing) or the engine's own gate. */
  source: 'broker' | 'engine';
  reason: RejectionReason;
  count: number;
  lastAt?: number;
  lastMessage?: string;
}

export interface DeviceHealth {
  id: string;
  kind: DeviceRecord['kind'];
  reportIntervalS: number;
  subject?: { type: 'resident' | 'elevator'; id: string; site: string };
  /** Receive time of the latest accepted message. */
  lastSeenAt?: number;
  /** False once the rules called it offline (no message for its offline period), until it reports again. */
  online: boolean;
  /** The broker's view from status messages (the Last Will says false). */
  connected?: boolean;
  batteryPct?: number;
  batteryLow?: boolean;
  /** Latest signal strength reported (dBm) and when; kept in memory, so empty after a restart until the next report. */
  rssi?: number;
  rssiAt?: number;
  rejections: RejectionCount[];
}

/** Device health for the API: the core's device state, the latest signal strength and rejected messages. */
@Injectable()
export class DeviceHealthService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly signal = new Map<string, { rssi: number; at: number }>();
  private sub?: Subscription;

  constructor(
    private readonly runtime: EngineRuntime,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Optional() @Inject(BROKER_HEALTH) private readonly broker?: BrokerHealth,
  ) {}

  onApplicationBootstrap(): void {
    this.sub = this.runtime.driver.admitted$.subscribe(({ message, at }) => {
      const rssi = 'rssi' in message.body ? message.body.rssi : undefined;
      if (typeof rssi === 'number') this.signal.set(message.deviceId, { rssi, at });
    });
  }

  onApplicationShutdown(): void {
    this.sub?.unsubscribe();
  }

  /** Rejections per device from both edges, for a batch of devices (one pass over each table). */
  rejectionsByDevice(): Map<string, RejectionCount[]> {
    const out = new Map<string, RejectionCount[]>();
    const add = (deviceId: string, r: RejectionCount) => {
      const list = out.get(deviceId) ?? [];
      list.push(r);
      out.set(deviceId, list);
    };
    for (const r of this.broker?.rejections?.() ?? []) add(r.deviceId, { source: 'broker', reason: r.reason, count: r.count, lastAt: r.lastAt, lastMessage: r.lastMessage });
    for (const r of this.runtime.gate.rejections()) add(r.deviceId, { source: 'engine', reason: r.reason, count: r.count });
    return out;
  }

  health(device: DeviceRecord, rejections: Map<string, RejectionCount[]> = this.rejectionsByDevice()): DeviceHealth {
    const state = this.runtime.driver.rules.deviceState(device.id);
    const signal = this.signal.get(device.id);
    const h: DeviceHealth = {
      id: device.id,
      kind: device.kind,
      reportIntervalS: device.reportIntervalS,
      ...(device.subject ? { subject: { ...device.subject } } : {}),
      online: state?.online ?? false,
      rejections: rejections.get(device.id) ?? [],
    };
    if (state?.lastSeenAt !== undefined) h.lastSeenAt = state.lastSeenAt;
    if (state?.connected !== undefined) h.connected = state.connected;
    if (state?.batteryPct !== undefined) h.batteryPct = state.batteryPct;
    if (state?.batteryLow !== undefined) h.batteryLow = state.batteryLow;
    if (signal) Object.assign(h, { rssi: signal.rssi, rssiAt: signal.at });
    return h;
  }

  devicesOf(ids: readonly string[]): DeviceHealth[] {
    const rejections = this.rejectionsByDevice();
    return ids.flatMap((id) => {
      const d = this.registry.getDevice(id);
      return d ? [this.health(d, rejections)] : [];
    });
  }
}
