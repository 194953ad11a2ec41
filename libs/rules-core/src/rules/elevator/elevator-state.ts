import type { ElevatorMode } from '@hearthbeat/contracts';
import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import type { ElevatorState } from '../../state/device-state';

/** Modes in which a technician works the car: passenger-facing rules stay quiet. */
export function inService(mode: ElevatorMode | undefined): boolean {
  return mode !== 'inspection' && mode !== 'maintenance';
}

export function isStopped(st: ElevatorState): boolean {
  return st.direction === 'stopped';
}

export function where(st: ElevatorState): string {
  return `floor ${st.floor ?? '?'}${st.doorZone ? '' : ', outside a door zone'}`;
}

type SinceField = 'trapSince' | 'outsideSince' | 'doorOpenSince';
type StateTimer = 'entrapment' | 'outsideZone' | 'doorHeld';

/**
 * A condition of the car that must last afterMs before it means something. The deadline is set when
 * the condition starts (reading time) and cancelled when it ends, so it fires with no further message;
 * it fires once per episode. `afterMs` may change while pending (entrapment: door zone or not).
 */
export function timedCondition(
  k: Kernel,
  dev: DeviceRuntime,
  timer: StateTimer,
  field: SinceField,
  holds: boolean,
  ts: number,
  afterMs: number,
  onEnd: (since: number) => void,
): void {
  const st = dev.state.elevator;
  if (!st) return;
  const since = st[field];
  if (holds) {
    if (since === undefined) {
      st[field] = ts;
      k.touch(dev);
      k.setTimer(dev, timer, ts + afterMs);
    } else if (dev.state.due[timer] !== undefined) {
      k.setTimer(dev, timer, since + afterMs);
    }
  } else if (since !== undefined) {
    delete st[field];
    k.touch(dev);
    k.clearTimer(dev, timer);
    onEnd(since);
  }
}
