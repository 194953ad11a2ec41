import { RULE_IDS, type Alert } from '@hearthbeat/contracts';
import { SnapshotVersionError } from '../errors';
import { RULE_SPECS } from '../alerts/rule-catalog';
import type { DeviceState } from '../state/device-state';
import type { SubjectState } from '../state/subject-state';
import type { Kernel } from './kernel';
import { AlertRuntime, TIMER_PRIO, alertKey, type TimerName, type TimerOwner } from './runtime';

export const SNAPSHOT_VERSION = 1;

/** Core-wide counters: the alert id sequence and the latest time seen. */
export interface CoreMeta {
  version: number;
  alertSeq: number;
  clock: number;
}

/**
 * Everything the core needs to continue after a restart, as plain JSON. The live engine keeps it as
 * rows (one per device, subject and alert, plus the meta row) and updates them from drainDirty().
 */
export interface CoreSnapshot {
  meta: CoreMeta;
  devices: DeviceState[];
  subjects: SubjectState[];
  alerts: Alert[];
}

/** The records changed since the last drain (copies, safe to keep or serialise later). */
export interface DirtyState {
  /** Present when the alert sequence or clock moved. */
  meta?: CoreMeta;
  devices: DeviceState[];
  subjects: SubjectState[];
  alerts: Alert[];
}

export function metaOf(k: Kernel): CoreMeta {
  return { version: SNAPSHOT_VERSION, alertSeq: k.alertSeq, clock: k.clock };
}

export function takeSnapshot(k: Kernel): CoreSnapshot {
  return structuredClone({
    meta: metaOf(k),
    devices: [...k.devices.values()].map((d) => d.state),
    subjects: [...k.subjects.values()].map((s) => s.state),
    alerts: [...k.alerts.values()].map((a) => a.alert),
  });
}

export function drain(k: Kernel): DirtyState {
  const out: DirtyState = {
    devices: [...k.dirtyDevices].map((d) => d.state),
    subjects: [...k.dirtySubjects].map((s) => s.state),
    alerts: [...k.dirtyAlerts].map((a) => a.alert),
  };
  if (k.metaDirty || out.devices.length || out.subjects.length || out.alerts.length) out.meta = metaOf(k);
  k.dirtyDevices.clear();
  k.dirtySubjects.clear();
  k.dirtyAlerts.clear();
  k.metaDirty = false;
  return structuredClone(out);
}

export function checkSnapshot(snap: CoreSnapshot): void {
  if (!snap || typeof snap !== 'object' || snap.meta?.version !== SNAPSHOT_VERSION) throw new SnapshotVersionError(snap?.meta?.version);
}

/**
 * Loads persisted alerts: every unresolved one, and resolved ones still within their retention (for
 * cooldown re-opening). For each (subject, rule[, device]) the most recently opened alert is the one
 * new triggers land on.
 */
export function loadAlerts(k: Kernel, alerts: readonly Alert[], now: number): void {
  const sorted = [...alerts].filter((a) => (RULE_IDS as readonly string[]).includes(a.rule)).sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
  for (const raw of sorted) {
    const a = structuredClone(raw);
    const spec = RULE_SPECS[a.rule];
    const key = alertKey(a.subject, a.rule, spec.perDevice && a.deviceId !== undefined ? a.deviceId : undefined);
    const ar = new AlertRuntime(a, key, undefined, undefined);
    if (a.state === 'resolved' && (a.resolvedAt ?? 0) + k.options.retainResolvedMs < now) {
      // Too old to matter for cooldowns; still the latest of its key? then nothing to re-open anyway.
      continue;
    }
    k.alerts.set(a.id, ar);
    k.byKey.set(key, ar);
    if (a.state === 'resolved') k.resolvedFifo.push(ar);
  }
  k.resolvedFifo.sort((x, y) => (x.alert.resolvedAt ?? 0) - (y.alert.resolvedAt ?? 0));
}

/** Rebuilds the deadline queue from the due times stored on every record. */
export function rebuildTimers(k: Kernel): void {
  const put = (owner: TimerOwner, name: string, due: number | undefined): void => {
    if (due === undefined || !Number.isFinite(due) || !isTimerName(name)) return;
    k.queue.schedule(owner.timer(name), due);
  };
  for (const d of k.devices.values()) for (const [name, due] of Object.entries(d.state.due)) put(d, name, due);
  for (const s of k.subjects.values()) for (const [name, due] of Object.entries(s.state.due)) put(s, name, due);
  for (const ar of k.alerts.values()) {
    const a = ar.alert;
    if (a.state === 'resolved') continue;
    put(ar, 'escalate', a.nextEscalationAt);
    put(ar, 'remind', a.nextReminderAt);
    put(ar, 'clear', a.autoClearAt);
    put(ar, 'call', a.callTimeoutAt);
  }
}

function isTimerName(name: string): name is TimerName {
  return Object.prototype.hasOwnProperty.call(TIMER_PRIO, name);
}
