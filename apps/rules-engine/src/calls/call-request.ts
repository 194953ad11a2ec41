import { CALL_STEPS, type CallStep, type Resident } from '@hearthbeat/contracts';
import type { CheckCallEvent } from '@hearthbeat/rules-core';
import type { RecordedAlertEvent } from '../store/recorded-event';

/** What the voice gateway receives (docs/field-workflow.md, "Call request"); `callbackUrl` is added when sending. */
export interface CallRequestBody {
  callId: string;
  /**
   * `alert`: the first step of an alert's escalation (`alertId`, `severity`); `check`: a rule checking on
   * the resident before it raises anything (water.routine_deviation's callFactor): no alert exists yet.
   */
  purpose: 'alert' | 'check';
  alertId?: string;
  site: string;
  step: CallStep;
  rule: string;
  severity?: string;
  /** The alert's reason, times in the site's zone: what the voice may read out, or staff see in the gateway. */
  reason: string;
  resident: { id: string; name?: string; address?: string };
  /** Whom to ring, in order (the resident; or the family contacts). */
  to: { name?: string; phone: string; relation?: string }[];
  placedAt: number;
  /** Report a result before this (epoch ms): later, the platform has already counted the call as not answered. */
  timeoutAt: number;
}

export interface RenderedRequest {
  callId: string;
  /** Empty for a check call (no alert yet). */
  alertId: string;
  site: string;
  step: CallStep;
  deadline: number;
  template: string;
}

const isStep = (v: unknown): v is CallStep => typeof v === 'string' && (CALL_STEPS as readonly string[]).includes(v);

/** The request for a `call_placed` change, or undefined when the event is not one. */
export function renderCallRequest(ev: RecordedAlertEvent, resident: Resident | undefined): RenderedRequest | undefined {
  if (ev.change !== 'call_placed') return undefined;
  const callId = ev.entry.details?.['callId'];
  const step = ev.entry.details?.['step'];
  const call = ev.alert.calls?.find((c) => c.id === callId);
  if (typeof callId !== 'string' || !isStep(step) || !call) return undefined;
  const a = ev.alert;
  const to = step === 'resident' ? residentPhone(resident) : (resident?.contacts ?? []).map((c) => ({ name: c.name, phone: c.phone, ...(c.relation ? { relation: c.relation } : {}) }));
  const body: CallRequestBody = {
    callId,
    purpose: 'alert',
    alertId: a.id,
    site: a.site,
    step,
    rule: a.rule,
    severity: a.severity,
    reason: a.reason,
    resident: residentOf(a.subject.id, resident),
    to,
    placedAt: call.placedAt,
    timeoutAt: call.timeoutAt,
  };
  return { callId, alertId: a.id, site: a.site, step, deadline: call.timeoutAt, template: JSON.stringify(body) };
}

/** The request for a rule's check call placed before any alert (a `check_call` event `placed`). */
export function renderCheckCallRequest(ev: CheckCallEvent, resident: Resident | undefined): RenderedRequest | undefined {
  if (ev.change !== 'placed') return undefined;
  const body: CallRequestBody = {
    callId: ev.callId,
    purpose: 'check',
    site: ev.site,
    step: 'resident',
    rule: ev.rule,
    reason: ev.reason,
    resident: residentOf(ev.subject.id, resident),
    to: residentPhone(resident),
    placedAt: ev.placedAt,
    timeoutAt: ev.timeoutAt,
  };
  return { callId: ev.callId, alertId: '', site: ev.site, step: 'resident', deadline: ev.timeoutAt, template: JSON.stringify(body) };
}

function residentOf(id: string, resident: Resident | undefined): CallRequestBody['resident'] {
  return { id, ...(resident?.name ? { name: resident.name } : {}), ...(resident?.address ? { address: resident.address } : {}) };
}

function residentPhone(resident: Resident | undefined): CallRequestBody['to'] {
  return resident?.phone ? [{ ...(resident.name ? { name: resident.name } : {}), phone: resident.phone }] : [];
}

/** The body as sent: the template with the callback URL (the engine's address may change across restarts). */
export function withCallback(template: string, callbackUrl: string): string {
  return `${template.slice(0, -1)},"callbackUrl":${JSON.stringify(callbackUrl)}}`;
}
