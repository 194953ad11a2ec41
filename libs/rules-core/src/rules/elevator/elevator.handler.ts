import type { ElevatorEvent, ElevatorTelemetry } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { goOffline, raiseOffline } from '../device/device-offline.rule';
import { onBatteryPct } from '../device/low-battery.rule';
import { checkDoorCycling } from './door-cycling.rule';
import { checkDoorHeldOpen, onDoorHeldTimer } from './door-held-open.rule';
import { onDoorLockFault } from './door-lock-fault.rule';
import { checkEntrapment, onAlarmButton, onEntrapmentTimer } from './entrapment.rule';
import { waitForBacklog } from './elevator-state';
import { caughtUp, endBacklog, noteArrival } from './late-reports';
import { checkMovingWithDoorOpen } from './moving-with-door-open.rule';
import { checkOverspeed } from './overspeed.rule';
import { onOverrun } from './overrun.rule';
import { checkPowerTelemetry, onPowerLost, onPowerRestored } from './power-lost.rule';
import { onSafetyCircuit } from './safety-circuit.rule';
import { checkOutsideDoorZone, onOutsideZoneTimer } from './stopped-outside-door-zone.rule';
import { onTestCall, onTestCallTimer } from './test-call-missing.rule';

/**
 * Elevator terminal messages (GB/T 24476, EN 627). Telemetry is the car's state, sent on every change:
 * it is applied in reading time, and telemetry older than the current state is stale and ignored
 * (it still proves the terminal is alive). Events are facts and always evaluated. A message received
 * late (a backlog after a reconnect) is judged with the rest of the backlog: late-reports.ts.
 */
export function onElevatorTelemetry(k: Kernel, dev: DeviceRuntime, body: ElevatorTelemetry, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  if (body.batteryPct !== undefined) onBatteryPct(k, dev, body.batteryPct, at);
  if (st.stateTs !== undefined && body.ts < st.stateTs) return;
  // A late state extends the backlog; one on time ends it (the terminal has caught up).
  const endsBacklog = !noteArrival(k, dev, body.ts, at) && caughtUp(k, dev);
  const prevDoor = st.door;
  const prevPower = st.power;
  st.stateTs = body.ts;
  st.floor = body.floor;
  st.doorZone = body.doorZone;
  st.direction = body.direction;
  st.door = body.door;
  st.occupied = body.occupied;
  st.speedMps = body.speedMps;
  st.mode = body.mode;
  st.power = body.power;
  k.touch(dev);
  const ts = body.ts;
  checkMovingWithDoorOpen(k, dev, ts, at);
  checkOverspeed(k, dev, ts, at);
  checkEntrapment(k, dev, ts, at);
  checkOutsideDoorZone(k, dev, ts, at);
  checkDoorHeldOpen(k, dev, ts, at);
  checkDoorCycling(k, dev, prevDoor, ts, at);
  checkPowerTelemetry(k, dev, prevPower, ts, at);
  if (endsBacklog) endBacklog(k, dev, at);
}

export function onElevatorEvent(k: Kernel, dev: DeviceRuntime, body: ElevatorEvent, at: number): void {
  const ts = body.ts;
  noteArrival(k, dev, ts, at);
  switch (body.event) {
    case 'alarm_button':
      return onAlarmButton(k, dev, body.heldMs, ts, at);
    case 'safety_circuit':
      return onSafetyCircuit(k, dev, ts, at);
    case 'door_lock_fault':
      return onDoorLockFault(k, dev, ts, at);
    case 'overrun_top':
      return onOverrun(k, dev, 'top', ts, at);
    case 'overrun_bottom':
      return onOverrun(k, dev, 'bottom', ts, at);
    case 'power_lost':
      return onPowerLost(k, dev, ts, at, 'event');
    case 'power_restored':
      return onPowerRestored(k, dev, ts, at);
    case 'test_call':
      return onTestCall(k, dev, ts, at);
  }
}

export function onElevatorTimer(k: Kernel, dev: DeviceRuntime, name: string, at: number): void {
  if ((name === 'entrapment' || name === 'outsideZone' || name === 'doorHeld') && waitForBacklog(k, dev, name, at)) return;
  switch (name) {
    case 'offline':
      goOffline(k, dev, at);
      // A state timer (entrapment) keeps running on the last known state: silence does not free anyone.
      return raiseOffline(k, dev, at, '; entrapment detection relies on the last known state');
    case 'entrapment':
      return onEntrapmentTimer(k, dev, at);
    case 'outsideZone':
      return onOutsideZoneTimer(k, dev, at);
    case 'doorHeld':
      return onDoorHeldTimer(k, dev, at);
    case 'backlog':
      return endBacklog(k, dev, at);
    case 'testCall':
      return onTestCallTimer(k, dev, at);
  }
}
