import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';

/**
 * smoke.alarm: the alarm event, immediate and critical (all detectors, GB 20517). A safety alert:
 * alarm_cleared and silenced only add evidence. A detector that goes offline (deadline or Last Will)
 * during an alarm is treated as a fire (domain.md "offline during an alarm = treat as a fire"): the
 * alert is raised again with that reason and can never resolve itself.
 */
const RULE = 'smoke.alarm';

export function onAlarm(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const s = dev.state.smoke;
  if (!s) return;
  if (s.alarmSince === undefined) {
    s.alarmSince = ts;
    k.touch(dev);
  }
  k.book.raise(dev.owner, dev, RULE, at, `smoke alarm at ${dev.site.time.when(ts, at)}`, { ts });
}

export function onAlarmCleared(k: Kernel, dev: DeviceRuntime, ts: number, at: number, how: 'alarm_cleared' | 'silenced'): void {
  const s = dev.state.smoke;
  if (!s) return;
  const t = dev.site.time.when(ts, at);
  if (how === 'silenced') {
    k.book.evidence(dev.owner, dev, RULE, at, `alarm silenced on the detector at ${t}`, { ts });
    return;
  }
  if (s.alarmSince !== undefined) {
    delete s.alarmSince;
    k.touch(dev);
  }
  k.book.cleared(dev.owner, dev, RULE, at, `detector reports the alarm cleared at ${t}`);
}

/** True when the silence of this detector means a fire (it was alarming). */
export function offlineDuringAlarm(k: Kernel, dev: DeviceRuntime, at: number, how: string): boolean {
  const s = dev.state.smoke;
  if (!s || s.alarmSince === undefined) return false;
  const t = dev.site.time;
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `detector went silent (${how}) during an alarm that began ${t.when(s.alarmSince, at)}: treat as a fire`,
    { alarmSince: s.alarmSince, offline: true },
    'critical',
  );
  return true;
}
