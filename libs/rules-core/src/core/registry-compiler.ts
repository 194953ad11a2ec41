import {
  DEFAULT_REPORT_INTERVAL_S,
  RULE_IDS,
  resolveEscalationPolicy,
  resolveRuleParams,
  type AnyRuleParams,
  type RuleId,
  type RuleOverrides,
} from '@hearthbeat/contracts';
import type { CoreDevice, CoreRegistry } from '../registry/core-registry.types';
import { newDeviceState, type DeviceState } from '../state/device-state';
import { newSubjectState, type SubjectState } from '../state/subject-state';
import { siteTimeFor } from '../time/site-time';
import { resolveCheckIn } from '../alerts/check-in-call';
import type { Kernel } from './kernel';
import { AlertRuntime, DeviceRuntime, SubjectRuntime, type SiteRuntime } from './runtime';

export interface RestoredStates {
  devices: Map<string, DeviceState>;
  subjects: Map<string, SubjectState>;
}

function allParams(...layers: (RuleOverrides | undefined)[]): AnyRuleParams {
  const out: Partial<Record<RuleId, unknown>> = {};
  for (const id of RULE_IDS) out[id] = resolveRuleParams(id, ...layers);
  return out as AnyRuleParams;
}

/**
 * Compiles a registry into runtimes: parameters resolved once per subject (site, then resident or
 * elevator: the most specific wins), sites with their clock and escalation policy. Existing runtimes
 * keep their state and timers; removed ones lose their timers. Returns the devices that are new.
 */
export function applyRegistry(k: Kernel, reg: CoreRegistry, at: number, restored?: RestoredStates): DeviceRuntime[] {
  const sites = new Map<string, SiteRuntime>();
  const siteRules = new Map<string, RuleOverrides | undefined>();
  for (const s of reg.sites) {
    const checkIn = resolveCheckIn(s.checkInCall);
    sites.set(s.id, { id: s.id, time: siteTimeFor(s.timezone), escalation: resolveEscalationPolicy(s.escalation), ...(checkIn ? { checkIn } : {}) });
    siteRules.set(s.id, s.rules);
  }
  const entries = new Map<string, CoreDevice>();
  for (const d of reg.devices) entries.set(d.id, d);

  const subjects = new Map<string, SubjectRuntime>();
  const devices = new Map<string, DeviceRuntime>();
  const fresh: DeviceRuntime[] = [];

  const subject = (type: 'resident' | 'elevator', id: string, siteId: string, rules: RuleOverrides | undefined, rated = 0): SubjectRuntime | undefined => {
    const site = sites.get(siteId);
    if (!site) return undefined;
    const key = `${type}:${id}`;
    const params = allParams(siteRules.get(siteId), rules);
    let s = k.subjects.get(key);
    if (s) {
      s.site = site;
      s.params = params;
      s.ratedSpeedMps = rated;
      s.devices = [];
    } else {
      s = new SubjectRuntime({ type, id }, site, params, restored?.subjects.get(key) ?? newSubjectState(type, id), rated);
    }
    subjects.set(key, s);
    return s;
  };
  const device = (id: string, owner: SubjectRuntime, allowed: readonly string[]): void => {
    const entry = entries.get(id);
    if (!entry || !allowed.includes(entry.kind) || devices.has(id)) return;
    const intervalMs = (entry.reportIntervalS ?? DEFAULT_REPORT_INTERVAL_S[entry.kind]) * 1000;
    let d = k.devices.get(id);
    if (d && d.kind === entry.kind) {
      d.owner = owner;
      d.reportIntervalMs = intervalMs;
    } else {
      const prior = restored?.devices.get(id);
      const state = prior && prior.kind === entry.kind ? prior : newDeviceState(id, entry.kind, at);
      d = new DeviceRuntime(id, entry.kind, intervalMs, owner, state);
      if (!prior) fresh.push(d);
    }
    owner.devices.push(d);
    devices.set(id, d);
  };

  for (const r of reg.residents) {
    const s = subject('resident', r.id, r.site, r.rules);
    if (!s) continue;
    s.callable = { resident: r.callable?.resident ?? false, family: r.callable?.family ?? false };
    for (const id of r.devices) device(id, s, ['water_meter', 'smoke_alarm']);
  }
  for (const e of reg.elevators) {
    const s = subject('elevator', e.id, e.site, e.rules, e.ratedSpeedMps);
    if (s) device(e.device, s, ['elevator']);
  }

  // Whatever left the registry stops ticking; its alerts stay (a person still closes them).
  for (const [key, s] of k.subjects) if (subjects.get(key) !== s) for (const t of Object.values(s.timers)) if (t) k.queue.cancel(t);
  for (const [id, d] of k.devices) if (devices.get(id) !== d) for (const t of Object.values(d.timers)) if (t) k.queue.cancel(t);

  k.sites = sites;
  k.subjects = subjects;
  k.devices = devices;
  for (const ar of k.alerts.values()) linkAlert(k, ar);
  for (const r of reg.residents) {
    const s = subjects.get(`resident:${r.id}`);
    if (s) k.away.syncRegistry(s, r.away, at);
  }
  return fresh;
}

/** Points an alert at its site and at the subject whose colour it feeds (a device's owner for device alerts). */
export function linkAlert(k: Kernel, ar: AlertRuntime): void {
  const a = ar.alert;
  const risk = a.subject.type === 'device' ? k.devices.get(a.subject.id)?.owner : k.subjects.get(`${a.subject.type}:${a.subject.id}`);
  if (ar.risk && ar.risk !== risk) ar.risk.openAlerts.delete(ar);
  ar.risk = risk;
  ar.site = k.sites.get(a.site);
  if (risk && a.state !== 'resolved') risk.openAlerts.add(ar);
}
