import type { TruthLine } from '@hearthbeat/contracts';
import { Rng } from '../core/prng.util';
import { DAY_MS, MINUTE_MS } from '../core/zoned-time.util';
import { LOW_BATTERY_PCT } from '../devices/battery.model';
import { truthLine } from '../devices/device-action.types';
import { emptyPlan, type DevicePlan } from '../devices/device-plan.types';
import { garbageNote } from '../devices/garbage.transform';
import { TRUTH_KIND_OF, type Scenario } from '../scenarios/scenario.types';
import type { WaterScenarioEffects } from './resident-draws.model';

/** A resident's scenarios turned into effects on the routine and on each device, and truth lines. */
export interface ResidentPlan {
  water: WaterScenarioEffects;
  devices: Map<string, DevicePlan>;
  truth: TruthLine[];
}

export interface ResidentDevices {
  /** Kind of every device the resident owns, by id. */
  kinds: Map<string, 'water_meter' | 'smoke_alarm'>;
}

/**
 * Compiles scenarios (already validated and given their device by the planner) into effects. Every
 * effect follows the brief: a fall stops all water until rescue; a fall in the shower leaves the shower
 * running; a leak raises the meter's `leak` event and a small endless flow; a fire sends `alarm` and may
 * destroy the detector; a removed detector sends `tamper` and falls silent; a low battery sags, warns, goes
 * flat; an outage silences the meter.
 */
export function compileResidentScenarios(seed: string, scenarios: readonly Scenario[], devices: ResidentDevices): ResidentPlan {
  const water: WaterScenarioEffects = { suppress: [], extra: [], wakeOverrides: new Map() };
  const plans = new Map<string, DevicePlan>();
  const truth: TruthLine[] = [];
  const planOf = (id: string): DevicePlan => {
    let p = plans.get(id);
    if (!p) plans.set(id, (p = emptyPlan()));
    return p;
  };

  for (const s of scenarios) {
    const rng = Rng.derive(seed, 'scenario', s.key);
    const kind = TRUTH_KIND_OF[s.kind];
    const record = (note?: string, deviceId = s.deviceId) => truth.push(truthLine(s.subject, kind, s.start, s.end, deviceId, note));
    switch (s.kind) {
      case 'fall':
      case 'hospital':
      case 'away':
      case 'away_unannounced':
        water.suppress.push([s.start, s.end]);
        record();
        break;
      case 'late_rising': {
        water.suppress.push([s.start, s.end]);
        if (s.day === undefined) throw new RangeError(`late_rising scenario ${s.key} lacks its day`);
        water.wakeOverrides.set(s.day, s.end);
        record('gets up at end instead of the usual time (start)');
        break;
      }
      case 'fall_in_shower':
        water.suppress.push([s.start, s.end]);
        water.extra.push({ start: s.start, end: s.end, flowLpm: rng.range(6, 9) });
        record();
        break;
      case 'tap_running':
        water.extra.push({ start: s.start, end: s.end, flowLpm: rng.range(2, 8) });
        record();
        break;
      case 'leak': {
        // A running cistern or a weeping pipe: small, never stops. Meters flag it after a while of
        // uninterrupted flow.
        water.extra.push({ start: s.start, end: s.end, flowLpm: rng.range(0.3, 2.5) });
        const detectAt = s.start + Math.round(rng.range(30, 90) * MINUTE_MS);
        if (s.deviceId && detectAt < s.end) planOf(s.deviceId).events.push({ at: detectAt, event: 'leak' });
        record();
        break;
      }
      case 'fire': {
        const id = s.deviceId as string;
        const plan = planOf(id);
        plan.events.push({ at: s.start, event: 'alarm' });
        // domain.md: "offline during an alarm = treat as a fire". Half the fires destroy the detector,
        // which is replaced at the end; otherwise the alarm clears when the fire is out.
        const destroyed = rng.chance(0.5);
        if (destroyed) plan.offline.push([s.start + Math.round(rng.range(2, 10) * MINUTE_MS), s.end]);
        else plan.events.push({ at: s.end, event: 'alarm_cleared' });
        water.suppress.push([s.start, s.end]);
        record(destroyed ? 'detector destroyed: offline during the alarm' : 'alarm cleared at the end');
        break;
      }
      case 'detector_removed': {
        const plan = planOf(s.deviceId as string);
        plan.events.push({ at: s.start, event: 'tamper' });
        plan.offline.push([s.start + 3_000, s.end]);
        plan.events.push({ at: s.end + 10_000, event: 'tamper_restored' });
        record('tamper, then silent until refitted');
        break;
      }
      case 'low_battery': {
        const plan = planOf(s.deviceId as string);
        const flatAt = s.start + Math.round((s.end - s.start) * rng.range(0.4, 0.8));
        plan.lowBattery = { declineFrom: s.start - Math.round(rng.range(3, 6) * DAY_MS), eventAt: s.start, flatAt, replacedAt: s.end };
        plan.events.push({ at: s.start, event: 'low_battery' });
        plan.offline.push([flatAt, s.end]);
        record(`battery below ${LOW_BATTERY_PCT + 1}% at start, flat (silent) from ${new Date(flatAt).toISOString()}, replaced at end`);
        break;
      }
      case 'meter_outage':
        planOf(s.deviceId as string).offline.push([s.start, s.end]);
        record('meter unreachable; a batching meter backfills on return');
        break;
      case 'garbage': {
        const id = s.deviceId as string;
        planOf(id).garbage.push([s.start, s.end]);
        record(garbageNote(devices.kinds.get(id) ?? 'water_meter'));
        break;
      }
      default:
        throw new RangeError(`scenario ${s.kind} does not apply to a resident`);
    }
  }
  water.suppress.sort((a, b) => a[0] - b[0]);
  return { water, devices: plans, truth };
}
