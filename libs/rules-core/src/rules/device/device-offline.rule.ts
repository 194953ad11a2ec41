import type { DeviceKind, RuleId } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';

/**
 * water.meter_offline / smoke.offline / elevator.offline: no message for afterS (default twice the
 * device's reporting interval, domain.md). The deadline is measured from max(lastSeen, listenSince):
 * the time the platform was not listening (before start, during a restart) is never blamed on the
 * device (complaint 3: no storm of offline alerts after a restart). Any message brings the device back
 * online; its alert then resolves itself after cooldownS without a relapse.
 */
export const OFFLINE_RULE: Record<DeviceKind, RuleId> = {
  water_meter: 'water.meter_offline',
  smoke_alarm: 'smoke.offline',
  elevator: 'elevator.offline',
};

export function offlineAfterMs(dev: DeviceRuntime): number {
  const p = dev.params;
  const afterS =
    dev.kind === 'water_meter' ? p['water.meter_offline'].afterS : dev.kind === 'smoke_alarm' ? p['smoke.offline'].afterS : p['elevator.offline'].afterS;
  return afterS !== null ? afterS * 1000 : 2 * dev.reportIntervalMs;
}

export function offlineEnabled(dev: DeviceRuntime): boolean {
  return dev.params[OFFLINE_RULE[dev.kind]].enabled;
}

/** A message arrived (any channel except a Last Will): the device is alive. */
export function onSeen(k: Kernel, dev: DeviceRuntime, at: number): boolean {
  const s = dev.state;
  if (s.firstSeenAt === undefined) s.firstSeenAt = at;
  if (s.lastSeenAt === undefined || at > s.lastSeenAt) s.lastSeenAt = at;
  let cameBack = false;
  if (!s.online) {
    s.online = true;
    s.listenSince = at;
    cameBack = true;
    k.deviceEvent(dev, 'online', at);
    k.book.cleared(dev.owner, dev, OFFLINE_RULE[dev.kind], at, `back online at ${dev.site.time.when(at, at)}`);
  }
  scheduleOffline(k, dev);
  return cameBack;
}

export function scheduleOffline(k: Kernel, dev: DeviceRuntime): void {
  const s = dev.state;
  if (!s.online || !offlineEnabled(dev)) {
    k.clearTimer(dev, 'offline');
    return;
  }
  const from = s.lastSeenAt !== undefined && s.lastSeenAt > s.listenSince ? s.lastSeenAt : s.listenSince;
  k.setTimer(dev, 'offline', from + offlineAfterMs(dev));
}

/** Marks the device offline; the caller decides which alert that means for its kind. */
export function goOffline(k: Kernel, dev: DeviceRuntime, at: number): void {
  dev.state.online = false;
  k.touch(dev);
  k.deviceEvent(dev, 'offline', at);
}

export function offlineReason(dev: DeviceRuntime, at: number): string {
  const s = dev.state;
  const t = dev.site.time;
  const last = s.lastSeenAt !== undefined ? `last message ${t.when(s.lastSeenAt, at)}` : 'never heard from';
  return `no message for ${formatDuration(offlineAfterMs(dev))} (reports every ${formatDuration(dev.reportIntervalMs)}); ${last}`;
}

/** The plain offline alert. */
export function raiseOffline(k: Kernel, dev: DeviceRuntime, at: number, extra = ''): void {
  k.book.raise(dev.owner, dev, OFFLINE_RULE[dev.kind], at, offlineReason(dev, at) + extra, {
    ...(dev.state.lastSeenAt !== undefined ? { lastSeenAt: dev.state.lastSeenAt } : {}),
  });
}
