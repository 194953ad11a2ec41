import type { LowBatteryEpisode } from './battery.model';

/** What scenarios do to one device, compiled before the device runs. */
export interface DevicePlan {
  /** Discrete events (`leak`, `alarm`, `tamper`...), sent when due unless the device is offline then. */
  events: { at: number; event: string; heldMs?: number }[];
  /** Windows in which the device is unreachable: `offline` at the start (the Will fires), `online` at the end. */
  offline: [number, number][];
  lowBattery?: LowBatteryEpisode;
  /** Windows in which every message the device sends is corrupted. */
  garbage: [number, number][];
}

export function emptyPlan(): DevicePlan {
  return { events: [], offline: [], garbage: [] };
}

/** Sorts and merges overlapping windows. */
export function mergeWindows(windows: [number, number][]): [number, number][] {
  const sorted = [...windows].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push([w[0], w[1]]);
  }
  return out;
}

/** True when `t` falls in one of the (merged, sorted) windows. */
export function inWindow(windows: readonly [number, number][], t: number): boolean {
  for (const [a, b] of windows) {
    if (t < a) return false;
    if (t < b) return true;
  }
  return false;
}
