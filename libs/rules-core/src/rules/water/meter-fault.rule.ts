import type { Kernel } from '../../core/kernel';
import type { DeviceRuntime } from '../../core/runtime';
import { formatLiters } from '../../time/site-time';

/**
 * water.meter_fault: valve_fault or tamper events, a valve reporting "fault", or a register that goes
 * down (protocol.md: "flagged and never counted as usage"). A maintenance ticket; a person resolves it.
 */
const RULE = 'water.meter_fault';

export function registerWentDown(k: Kernel, dev: DeviceRuntime, ts: number, fromL: number, toL: number, at: number): void {
  k.book.raise(
    dev.owner,
    dev,
    RULE,
    at,
    `register went down from ${formatLiters(fromL)} to ${formatLiters(toL)} at ${dev.site.time.when(ts, at)} (meter replaced or reset?); not counted as usage`,
    { fault: 'register_down', ts, fromL, toL },
  );
}

export function meterFaultEvent(k: Kernel, dev: DeviceRuntime, fault: 'valve_fault' | 'tamper' | 'valve_state', ts: number, at: number): void {
  const what = fault === 'tamper' ? 'tampering reported' : 'valve fault reported';
  k.book.raise(dev.owner, dev, RULE, at, `${what} at ${dev.site.time.when(ts, at)}`, { fault, ts });
}

/** The valve state in telemetry: a fault raises once per episode; its end is noted on the alert. */
export function onValveState(k: Kernel, dev: DeviceRuntime, fault: boolean, ts: number, at: number): void {
  const w = dev.state.water;
  if (!w || fault === (w.valveFault === true)) return;
  w.valveFault = fault;
  k.touch(dev);
  if (fault) meterFaultEvent(k, dev, 'valve_state', ts, at);
  else k.book.cleared(dev.owner, dev, RULE, at, `valve reports no fault at ${dev.site.time.when(ts, at)}`);
}
