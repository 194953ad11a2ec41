import { ELEVATOR_EVENTS, SMOKE_EVENTS, WATER_EVENTS, type DeviceMessage } from '@hearthbeat/contracts';
import { isDuplicate } from '../state/device-state';
import { onSeen, scheduleOffline } from '../rules/device/device-offline.rule';
import { onElevatorEvent, onElevatorTelemetry, onElevatorTimer } from '../rules/elevator/elevator.handler';
import { scheduleTestCall } from '../rules/elevator/test-call-missing.rule';
import { onSmokeDisconnected, onSmokeEvent, onSmokeTelemetry, onSmokeTimer } from '../rules/smoke/smoke-alarm.handler';
import { onWaterEvent, onWaterTelemetry, onWaterTimer } from '../rules/water/water-meter.handler';
import { checkNoActivity } from '../rules/water/no-activity.rule';
import type { Kernel } from './kernel';
import { AlertRuntime, DeviceRuntime, SubjectRuntime, type CoreTimer } from './runtime';

/** Numeric dedup codes per (channel, event): telemetry 1, status 2, events from 3. */
const EVENT_CODES = new Map<string, number>();
for (const list of [WATER_EVENTS, SMOKE_EVENTS, ELEVATOR_EVENTS]) for (const e of list) if (!EVENT_CODES.has(e)) EVENT_CODES.set(e, 3 + EVENT_CODES.size);

/**
 * Routes one parsed message to its device's rules. Duplicates (same channel, ts, seq and event: a QoS 1
 * redelivery) are dropped before anything counts; an event no newer than the last one of its name
 * from the device is a replay and ignored (complaint 3: old events re-fired after a reconnect).
 */
export function ingestMessage(k: Kernel, msg: DeviceMessage, at: number): void {
  const dev = k.devices.get(msg.deviceId);
  if (!dev || dev.kind !== msg.kind) return;
  k.tick(at);
  const s = dev.state;
  if (msg.channel === 'status') {
    const b = msg.body;
    if (b.ts !== undefined && isDuplicate(s.dedup, b.ts, b.seq ?? -1, 2)) return;
    k.touch(dev);
    if (!b.online) {
      // The Last Will: the broker lost the connection. Not yet "offline" (devices reconnect), except
      // that an alarming detector going silent is a fire.
      s.connected = false;
      if (dev.kind === 'smoke_alarm') onSmokeDisconnected(k, dev, at);
      return;
    }
    s.connected = true;
    onSeen(k, dev, at);
    if (dev.kind === 'water_meter') checkNoActivity(k, dev, at);
    return;
  }
  const body = msg.body;
  const event = msg.channel === 'event' ? (body as { event: string }).event : undefined;
  const code = event === undefined ? 1 : (EVENT_CODES.get(event) ?? 0);
  if (isDuplicate(s.dedup, body.ts, body.seq ?? -1, code)) return;
  k.touch(dev);
  onSeen(k, dev, at);
  if (event !== undefined) {
    const last = s.evTs[event];
    if (last !== undefined && body.ts <= last) return;
    s.evTs[event] = body.ts;
  }
  switch (msg.kind) {
    case 'water_meter':
      if (msg.channel === 'telemetry') onWaterTelemetry(k, dev, msg.body, at);
      else if (msg.channel === 'event') onWaterEvent(k, dev, msg.body, at);
      return;
    case 'smoke_alarm':
      if (msg.channel === 'telemetry') onSmokeTelemetry(k, dev, msg.body, at);
      else if (msg.channel === 'event') onSmokeEvent(k, dev, msg.body, at);
      return;
    case 'elevator':
      if (msg.channel === 'telemetry') onElevatorTelemetry(k, dev, msg.body, at);
      else if (msg.channel === 'event') onElevatorEvent(k, dev, msg.body, at);
      return;
  }
}

/** Runs the handler of a deadline that fell due; `t.due` is the instant it was due. */
export function fireTimer(k: Kernel, t: CoreTimer): void {
  const o = t.owner;
  const at = t.due;
  o.writeDue(t.name, undefined);
  k.touch(o);
  k.tick(at);
  if (o instanceof DeviceRuntime) {
    if (o.kind === 'water_meter') onWaterTimer(k, o, t.name, at);
    else if (o.kind === 'smoke_alarm') onSmokeTimer(k, o, t.name, at);
    else onElevatorTimer(k, o, t.name, at);
  } else if (o instanceof SubjectRuntime) {
    if (t.name === 'awayEnd') k.away.onEnd(o, at);
    else if (t.name === 'returnDue') k.away.onReturnDue(o, at);
    else if (t.name === 'routine') k.routine.onTimer(o, at);
    else k.risk.recompute(o, at);
  } else if (o instanceof AlertRuntime) {
    if (t.name === 'escalate') k.book.escalation.onEscalate(o, at);
    else if (t.name === 'remind') k.book.escalation.onRemind(o, at);
    else if (t.name === 'call') k.book.calls.onTimeout(o, at);
    else k.book.onClearTimer(o, at);
  }
}

/** Arms a device's standing deadlines (start, new device, registry change). */
export function armDevice(k: Kernel, dev: DeviceRuntime, at: number): void {
  scheduleOffline(k, dev);
  if (dev.kind === 'elevator') scheduleTestCall(k, dev);
  if (dev.kind === 'water_meter' && dev.state.water && dev.state.water.ts.length > 0) checkNoActivity(k, dev, at);
}
