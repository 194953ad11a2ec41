import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatDuration } from '../../time/site-time';

/**
 * elevator.test_call_missing: no test_call for afterS (72 h: EN 81-28 requires the alarm line to be
 * tested at least every 3 days). Deadline-driven from the last test call (or from when the platform
 * started listening); the next test call clears it.
 */
const RULE = 'elevator.test_call_missing';

export function scheduleTestCall(k: Kernel, dev: DeviceRuntime): void {
  const st = dev.state.elevator;
  if (!st || !dev.params[RULE].enabled) {
    k.clearTimer(dev, 'testCall');
    return;
  }
  const from = Math.max(st.lastTestCallAt ?? Number.NEGATIVE_INFINITY, dev.state.firstSeenAt ?? dev.state.listenSince);
  k.setTimer(dev, 'testCall', from + dev.params[RULE].afterS * 1000);
}

export function onTestCall(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  if (st.lastTestCallAt === undefined || ts > st.lastTestCallAt) st.lastTestCallAt = ts;
  k.touch(dev);
  k.book.cleared(dev.owner, dev, RULE, at, `test call received at ${dev.site.time.when(ts, at)}`);
  scheduleTestCall(k, dev);
}

export function onTestCallTimer(k: Kernel, dev: DeviceRuntime, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  const t = dev.site.time;
  const last = st.lastTestCallAt !== undefined ? `last test call ${t.when(st.lastTestCallAt, at)}` : 'no test call received yet';
  k.book.raise(dev.owner, dev, RULE, at, `no test call for ${formatDuration(dev.params[RULE].afterS * 1000)} (EN 81-28: at least every 72 h); ${last}`, {
    ...(st.lastTestCallAt !== undefined ? { lastTestCallAt: st.lastTestCallAt } : {}),
  });
}
