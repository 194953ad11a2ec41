import type { CheckInCallPolicyInput } from '@hearthbeat/contracts';
import { CallAlreadyAnsweredError, CallNotFoundError, InvalidInputError, SafetyAlertNeedsPersonError } from '../errors';
import { RulesCore } from '../core/rules-core';
import type { CoreRegistry } from '../registry/core-registry.types';
import { fleet, H, Harness, liftEvent, MIN, S, smoke, T0 } from '../test-support/harness.test-helpers';
import { DEFAULT_CALL_RULES } from './check-in-call';

/** fleet() with a check-in call step at the site and a resident who has a phone (and family contacts). */
function callingFleet(policy: Partial<CheckInCallPolicyInput> = {}, callable = { resident: true, family: true }): CoreRegistry {
  const reg = fleet();
  reg.sites[0]!.checkInCall = { enabled: true, timeoutS: 120, rules: ['smoke.alarm'], ...policy };
  reg.residents[0]!.callable = callable;
  return reg;
}

const steps = (h: Harness, id: string) => h.core.getAlert(id)!.timeline.map((e) => `${e.by}:${e.action}`);

/** Opens a fire alarm at T0 and returns its id and call id. */
function alarm(h: Harness, at = T0): { id: string; callId: string } {
  h.send(smoke(at, 'alarm'), at);
  const a = h.core.alerts().find((x) => x.rule === 'smoke.alarm')!;
  return { id: a.id, callId: a.calls?.[0]?.id ?? '' };
}

describe('check-in call: the first step of a resident alert', () => {
  it('places a call instead of arming the tiers, and answered_well resolves safe by call', () => {
    const h = new Harness(callingFleet());
    const { id, callId } = alarm(h);
    expect(callId).toBe(`${id}-C1`);
    const placed = h.core.getAlert(id)!;
    expect(placed).toMatchObject({ state: 'open', callTimeoutAt: T0 + 120 * S, calls: [{ id: callId, step: 'resident', placedAt: T0, timeoutAt: T0 + 120 * S }] });
    expect(placed.nextEscalationAt).toBeUndefined();
    expect(placed.nextReminderAt).toBeUndefined();
    expect(h.changes(id)).toEqual(['opened', 'call_placed']);
    expect(placed.timeline[1]).toMatchObject({ by: 'system', action: 'call_placed', details: { callId, step: 'resident', timeoutS: 120 } });

    // The staff API may never close a safety alert as `call`; only the call result path does.
    expect(() => h.core.resolve(id, 'safe', '', 'call', T0 + S)).toThrow(SafetyAlertNeedsPersonError);
    h.record(h.core.callResult(callId, 'answered_well', T0 + 40 * S));
    const done = h.core.getAlert(id)!;
    expect(done).toMatchObject({ state: 'resolved', outcome: 'safe', resolvedBy: 'call', resolvedAt: T0 + 40 * S });
    expect(done.callTimeoutAt).toBeUndefined();
    expect(steps(h, id)).toEqual(['system:opened', 'system:call_placed', 'call:call_result', 'call:resolved']);
    expect(h.changes(id)).toEqual(['opened', 'call_placed', 'call_result', 'resolved']);
    // A retry of the same callback changes nothing.
    expect(h.core.callResult(callId, 'answered_well', T0 + 50 * S)).toEqual([]);
    expect(() => h.core.callResult(callId, 'needs_help', T0 + 60 * S)).toThrow(CallAlreadyAnsweredError);
  });

  it.each(['needs_help', 'no_answer', 'failed'] as const)('%s escalates to staff at once; tiers then count from the hand-off', (result) => {
    const h = new Harness(callingFleet({ family: { enabled: false } }));
    const { id, callId } = alarm(h);
    h.record(h.core.callResult(callId, result, T0 + 30 * S));
    const a = h.core.getAlert(id)!;
    expect(a).toMatchObject({ state: 'open', escalationFrom: T0 + 30 * S, escalationLevel: 0 });
    // DEFAULT_ESCALATION critical: supervisor after 5 min, reminders every 2 min, from the hand-off.
    expect(a.nextEscalationAt).toBe(T0 + 30 * S + 5 * MIN);
    expect(a.nextReminderAt).toBe(T0 + 30 * S + 2 * MIN);
    expect(a.timeline.at(-1)).toMatchObject({ by: 'system', action: 'escalated', details: { target: 'staff', callId, result } });
    expect(h.changes(id)).toEqual(['opened', 'call_placed', 'call_result', 'escalated']);
    h.advance(T0 + 30 * S + 5 * MIN);
    expect(h.core.getAlert(id)).toMatchObject({ escalationLevel: 1 });
  });

  it('no result before the timeout counts as no answer, once; a late answer is recorded (acted on only if a call for help)', () => {
    const h = new Harness(callingFleet({ family: { enabled: false } }));
    const { id, callId } = alarm(h);
    expect(h.core.getAlert(id)!.callTimeoutAt).toBe(T0 + 120 * S);
    h.advance(T0 + 10 * MIN);
    const a = h.core.getAlert(id)!;
    const steps2 = a.timeline.slice(2).filter((e) => e.action !== 'reminder');
    expect(steps2.map((e) => [e.by, e.action, e.details?.['target'] ?? e.details?.['result']])).toEqual([
      ['system', 'call_result', 'no_answer'],
      ['system', 'escalated', 'staff'],
      ['system', 'escalated', 'supervisor'],
    ]);
    expect(a.calls?.[0]).toMatchObject({ result: 'no_answer', resultBy: 'system', resultAt: T0 + 120 * S });
    h.record(h.core.callResult(callId, 'answered_well', T0 + 11 * MIN));
    expect(h.core.getAlert(id)).toMatchObject({ state: 'open', calls: [{ result: 'no_answer', late: { result: 'answered_well', at: T0 + 11 * MIN } }] });
    expect(h.core.getAlert(id)!.timeline.at(-1)).toMatchObject({ by: 'call', action: 'call_result', details: { late: true, result: 'answered_well' } });
    expect(h.core.callResult(callId, 'answered_well', T0 + 12 * MIN)).toEqual([]);
    expect(() => h.core.callResult(callId, 'failed', T0 + 12 * MIN)).toThrow(CallAlreadyAnsweredError);
  });

  describe('a call for help makes the alert critical', () => {
    /** A detector taken down (smoke.tamper, medium) at a site that rings the resident for it. */
    function tamper(): { h: Harness; id: string; callId: string } {
      const h = new Harness(callingFleet({ rules: ['smoke.tamper'], family: { enabled: false } }));
      h.send(smoke(T0, 'tamper'), T0);
      const a = h.core.alerts().find((x) => x.rule === 'smoke.tamper')!;
      expect(a.severity).toBe('medium');
      return { h, id: a.id, callId: a.calls?.[0]?.id ?? '' };
    }

    it('on time: critical, and the critical tiers count from the hand-off', () => {
      const { h, id, callId } = tamper();
      h.record(h.core.callResult(callId, 'needs_help', T0 + 30 * S));
      const a = h.core.getAlert(id)!;
      expect(a).toMatchObject({ state: 'open', severity: 'critical', escalationFrom: T0 + 30 * S });
      // DEFAULT_ESCALATION critical: supervisor after 5 min (medium would wait longer).
      expect(a.nextEscalationAt).toBe(T0 + 30 * S + 5 * MIN);
      expect(a.timeline.map((e) => e.action)).toEqual(['opened', 'call_placed', 'call_result', 'severity_raised', 'escalated']);
      expect(a.timeline[3]).toMatchObject({ note: 'the resident asked for help on the check-in call', details: { from: 'medium', to: 'critical', callId } });
    });

    it('late (after the timeout): raised to critical, the answer noted as acted on', () => {
      const { h, id, callId } = tamper();
      h.advance(T0 + 3 * MIN);
      expect(h.core.getAlert(id)).toMatchObject({ severity: 'medium', calls: [{ result: 'no_answer' }] });
      h.record(h.core.callResult(callId, 'needs_help', T0 + 4 * MIN));
      const a = h.core.getAlert(id)!;
      expect(a.severity).toBe('critical');
      expect(a.timeline.slice(-2).map((e) => [e.action, e.note])).toEqual([
        ['call_result', 'late result: answered and asked for help (acted on: raised to critical)'],
        ['severity_raised', `the resident asked for help on check-in call ${callId}, answering after the call was settled`],
      ]);
      expect(h.changes(id).slice(-2)).toEqual(['call_result', 'updated']);
      // A late answer that is not a call for help stays evidence only.
      const other = tamper();
      other.h.advance(T0 + 3 * MIN);
      other.h.record(other.h.core.callResult(other.callId, 'failed', T0 + 4 * MIN));
      expect(other.h.core.getAlert(other.id)).toMatchObject({ severity: 'medium' });
      expect(other.h.core.getAlert(other.id)!.timeline.at(-1)?.note).toBe('late result: could not be made (recorded only)');
    });

    it('late, after staff resolved the alert: raised again, critical, without ringing the resident again', () => {
      const { h, id, callId } = tamper();
      h.advance(T0 + 3 * MIN);
      h.record(h.core.resolve(id, 'false_alarm', 'detector cleaned', 'li.bin', T0 + 5 * MIN));
      h.record(h.core.callResult(callId, 'needs_help', T0 + 6 * MIN));
      const open = h.core.alerts({ state: 'open' }).filter((x) => x.rule === 'smoke.tamper');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ severity: 'critical', reason: `the resident asked for help on check-in call ${callId}, answering after the call was settled (alert ${id} had been resolved as false_alarm)` });
      // Within the rule's cooldown (300 s): the same alert re-opened, with no new call to the resident.
      expect(open[0]).toMatchObject({ id, reopenedAt: T0 + 6 * MIN, calls: [{ id: callId, late: { result: 'needs_help' } }] });
      expect(open[0]!.callTimeoutAt).toBeUndefined();
      expect(h.changes(id).slice(-2)).toEqual(['call_result', 'reopened']);
    });
  });

  it('rings the family contacts as a second step; their answer is recorded but never closes the alert', () => {
    const h = new Harness(callingFleet({ family: { enabled: true, timeoutS: 300 } }));
    const { id, callId } = alarm(h);
    h.record(h.core.callResult(callId, 'no_answer', T0 + MIN));
    const a = h.core.getAlert(id)!;
    expect(a.calls?.map((c) => [c.id, c.step, c.result])).toEqual([
      [callId, 'resident', 'no_answer'],
      [`${id}-C2`, 'family', undefined],
    ]);
    expect(a.callTimeoutAt).toBe(T0 + MIN + 300 * S);
    // The staff chain is not held by the family call.
    expect(a.nextEscalationAt).toBe(T0 + MIN + 5 * MIN);
    h.record(h.core.callResult(`${id}-C2`, 'answered_well', T0 + 3 * MIN));
    expect(h.core.getAlert(id)).toMatchObject({ state: 'open' });
    expect(steps(h, id)).toEqual(['system:opened', 'system:call_placed', 'call:call_result', 'system:escalated', 'system:call_placed', 'call:call_result']);
  });

  it('an acknowledged alert keeps its call: no answer then needs no hand-off; a person resolving ends it', () => {
    const h = new Harness(callingFleet({ family: { enabled: false } }));
    const { id, callId } = alarm(h);
    h.record(h.core.acknowledge(id, 'li.bin', T0 + 10 * S));
    h.advance(T0 + 5 * MIN);
    expect(steps(h, id)).toEqual(['system:opened', 'system:call_placed', 'li.bin:acknowledged', 'system:call_result']);
    const second = new Harness(callingFleet());
    const b = alarm(second);
    second.record(second.core.resolve(b.id, 'false_alarm', 'burnt toast', 'li.bin', T0 + 20 * S));
    expect(second.core.getAlert(b.id)!.callTimeoutAt).toBeUndefined();
    expect(second.core.nextDeadline()).not.toBe(T0 + 120 * S);
    second.record(second.core.callResult(b.callId, 'answered_well', T0 + 30 * S));
    expect(second.core.getAlert(b.id)).toMatchObject({ outcome: 'false_alarm', resolvedBy: 'li.bin', calls: [{ late: { result: 'answered_well' } }] });
    expect(callId).toBe(`${id}-C1`);
  });

  it('the pending timeout survives a restart and fires once', () => {
    const h = new Harness(callingFleet({ family: { enabled: false } }));
    const { id } = alarm(h);
    h.core.drainDirty();
    const snap = h.core.snapshot();
    const restored = RulesCore.restore(snap, { registry: callingFleet({ family: { enabled: false } }) });
    const events = [...restored.resumeAfterRestart(T0 + 10 * MIN, 30 * S), ...restored.advance(T0 + 10 * MIN + 30 * S), ...restored.advance(T0 + 11 * MIN)];
    const changes = events.flatMap((e) => (e.type === 'alert' && e.alert.id === id ? [e.change] : []));
    expect(changes).toEqual(['call_result', 'escalated']);
    expect(restored.getAlert(id)).toMatchObject({ escalationFrom: T0 + 10 * MIN + 30 * S, calls: [{ result: 'no_answer' }] });
  });

  it('applies only where configured and possible: resident with a phone, a listed rule, a resident subject', () => {
    const noPhone = new Harness(callingFleet({}, { resident: false, family: true }));
    const a = alarm(noPhone);
    expect(a.callId).toBe('');
    expect(noPhone.core.getAlert(a.id)!.nextEscalationAt).toBe(T0 + 5 * MIN);
    const lift = new Harness(callingFleet({ rules: ['smoke.alarm', 'elevator.safety_circuit'] }));
    lift.send(liftEvent(T0, 'safety_circuit'), T0);
    expect(lift.core.alerts()[0]?.calls).toBeUndefined();
    const off = new Harness(callingFleet({ enabled: false }));
    expect(alarm(off).callId).toBe('');
    expect(DEFAULT_CALL_RULES).toEqual(expect.arrayContaining(['water.no_activity', 'water.continuous_flow', 'water.away_return_missing']));
    expect(DEFAULT_CALL_RULES).not.toContain('smoke.alarm');
  });

  it('refuses unknown calls and results, changing nothing', () => {
    const h = new Harness(callingFleet());
    const { id, callId } = alarm(h);
    expect(() => h.core.callResult('AL-000999-C1', 'answered_well', T0 + S)).toThrow(CallNotFoundError);
    expect(() => h.core.callResult(`${id}-C7`, 'answered_well', T0 + S)).toThrow(CallNotFoundError);
    expect(() => h.core.callResult(callId, 'maybe' as 'failed', T0 + S)).toThrow(InvalidInputError);
    expect(h.core.getAlert(id)!.timeline).toHaveLength(2);
  });

  it('a re-opening within the cooldown starts a new call phase', () => {
    const reg = callingFleet();
    reg.sites[0]!.rules = { 'smoke.alarm': { cooldownS: 3600 } };
    const h = new Harness(reg);
    const { id, callId } = alarm(h);
    h.record(h.core.callResult(callId, 'answered_well', T0 + MIN));
    h.send(smoke(T0 + 10 * MIN, 'alarm'), T0 + 10 * MIN);
    const a = h.core.getAlert(id)!;
    expect(a).toMatchObject({ state: 'open', reopenedAt: T0 + 10 * MIN, callTimeoutAt: T0 + 12 * MIN, calls: [{ result: 'answered_well' }, { id: `${id}-C2`, step: 'resident' }] });
    expect(a.nextEscalationAt).toBeUndefined();
    h.advance(T0 + H);
    expect(h.core.getAlert(id)).toMatchObject({ escalationFrom: T0 + 12 * MIN });
  });
});
