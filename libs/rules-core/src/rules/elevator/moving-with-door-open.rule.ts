import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { lateNote } from './elevator-state';
import { raiseOrHold } from './late-reports';

/**
 * elevator.moving_with_door_open: moving with the door not closed, immediate and critical (GB/T 24476).
 * Exception: a door already opening while the car levels inside the door zone at <= 0.8 m/s, which
 * EN 81-20 5.12.1.4 permits (advance door opening, re-levelling). One alert per episode. Reported late,
 * it waits for the backlog: still so, critical; over, a past fault to inspect, high (late-reports.ts).
 */
const RULE = 'elevator.moving_with_door_open';
const LEVELLING_MAX_MPS = 0.8;

export function checkMovingWithDoorOpen(k: Kernel, dev: DeviceRuntime, ts: number, at: number): void {
  const st = dev.state.elevator;
  if (!st) return;
  const moving = st.direction !== 'stopped';
  const levelling = st.doorZone === true && st.door === 'opening' && (st.speedMps ?? 0) <= LEVELLING_MAX_MPS;
  const holds = moving && st.door !== 'closed' && !levelling;
  if (holds && !st.movingOpen) {
    st.movingOpen = true;
    k.touch(dev);
    raiseOrHold(
      k,
      dev,
      RULE,
      ts,
      at,
      `car moving ${st.direction} at ${st.speedMps ?? 0} m/s near floor ${st.floor ?? '?'} with the door ${st.door} (${dev.site.time.when(ts, at)}${lateNote(dev.state.elevator, ts, at)})`,
      { ts, speedMps: st.speedMps ?? null, door: st.door ?? null, floor: st.floor ?? null },
    );
  } else if (!holds && st.movingOpen) {
    st.movingOpen = false;
    k.touch(dev);
    k.book.cleared(dev.owner, dev, RULE, at, `car stopped or door closed at ${dev.site.time.when(ts, at)}`);
  }
}
