import { RULE_IDS, type RuleId, type Severity } from '@hearthbeat/contracts';
import { fleet, H, Harness, lift, liftEvent, MIN, S, smoke, smokeBattery, T0, water, waterEvent, type FleetOptions } from '../test-support/harness.test-helpers';
import { DAY, Household, QUICK, shifted } from './water/routine/routine.test-helpers';

/**
 * One row per rule and threshold edge: the condition fires, its near miss stays quiet. Time is
 * injected; deadlines fire through advance() with no further message.
 */
interface Row {
  rule: RuleId;
  name: string;
  fires: boolean;
  severity?: Severity;
  fleet?: FleetOptions;
  run(h: Harness): void;
}

const onlineMeter: FleetOptions = { residentRules: { 'water.meter_offline': { afterS: 24 * 3600 } } };
/** `litres` in each of `intervals` consecutive 15-min readings (15 L = 1 L/min, the default minLpm). */
const quarterHourUse = (h: Harness, intervals: number, litres = 15) => {
  for (let i = 0; i <= intervals; i++) h.send(water(T0 + i * 15 * MIN, 100 + i * litres), T0 + i * 15 * MIN);
};
const stopped = { direction: 'stopped' as const, door: 'closed' as const, occupied: true };
const doorCycles = (h: Harness, n: number) => {
  h.send(lift(T0), T0);
  for (let i = 0; i < n; i++) {
    h.send(lift(T0 + i * 10 * S + 1, { door: 'open' }), T0 + i * 10 * S + 1);
    h.send(lift(T0 + i * 10 * S + 5 * S, { door: 'closed' }), T0 + i * 10 * S + 5 * S);
  }
};
const speed = (h: Harness, v: number) => h.send(lift(T0, { direction: 'up', speedMps: v, doorZone: false }), T0);

const rows: Row[] = [
  // water.no_activity: "< 0.01 m3 in 12 h"
  { rule: 'water.no_activity', name: '9.9 L in 12 h', fires: true, fleet: onlineMeter, run: (h) => { h.send(water(T0, 100), T0); h.send(water(T0 + H, 109.9), T0 + H); h.advance(T0 + 12 * H + 30 * MIN); } },
  { rule: 'water.no_activity', name: '10 L in 12 h', fires: false, fleet: onlineMeter, run: (h) => { h.send(water(T0, 100), T0); h.send(water(T0 + H, 110), T0 + H); h.advance(T0 + 12 * H + 30 * MIN); } },
  // water.continuous_flow: 60 min of use in every interval
  { rule: 'water.continuous_flow', name: 'use in 4 consecutive 15-min intervals (60 min)', fires: true, run: (h) => quarterHourUse(h, 4) },
  { rule: 'water.continuous_flow', name: 'use in 3 consecutive 15-min intervals (45 min)', fires: false, run: (h) => quarterHourUse(h, 3) },
  { rule: 'water.continuous_flow', name: '60 min averaging 0.93 L/min (below minLpm 1)', fires: false, run: (h) => quarterHourUse(h, 4, 14) },
  // water.high_use: 500 L per local day
  { rule: 'water.high_use', name: '500.1 L in one Shanghai day', fires: true, run: (h) => { h.send(water(T0 + 8 * H, 1000), T0 + 8 * H); h.send(water(T0 + 9 * H, 1500.1), T0 + 9 * H); } },
  { rule: 'water.high_use', name: '500 L in one Shanghai day', fires: false, run: (h) => { h.send(water(T0 + 8 * H, 1000), T0 + 8 * H); h.send(water(T0 + 9 * H, 1500), T0 + 9 * H); } },
  // water.meter_offline: 2 x 900 s
  { rule: 'water.meter_offline', name: 'silent for 30 min', fires: true, run: (h) => { h.send(water(T0, 100), T0); h.advance(T0 + 30 * MIN); } },
  { rule: 'water.meter_offline', name: 'silent for 29:59', fires: false, run: (h) => { h.send(water(T0, 100), T0); h.advance(T0 + 30 * MIN - 1); } },
  { rule: 'water.leak', name: 'leak event', fires: true, severity: 'high', run: (h) => h.send(waterEvent(T0, 'leak'), T0) },
  { rule: 'water.leak', name: 'valve fault is not a leak', fires: false, run: (h) => h.send(waterEvent(T0, 'valve_fault'), T0) },
  { rule: 'water.meter_fault', name: 'register goes down 0.1 L', fires: true, run: (h) => { h.send(water(T0, 100), T0); h.send(water(T0 + MIN, 99.9), T0 + MIN); } },
  { rule: 'water.meter_fault', name: 'register unchanged', fires: false, run: (h) => { h.send(water(T0, 100), T0); h.send(water(T0 + MIN, 100), T0 + MIN); } },
  { rule: 'water.meter_fault', name: 'valve_fault event', fires: true, run: (h) => h.send(waterEvent(T0, 'valve_fault'), T0) },
  // water.away_return_missing: no use within graceS (12 h) after the away period
  {
    rule: 'water.away_return_missing', name: 'no use 12 h after the away period', fires: true,
    fleet: { ...onlineMeter, away: [{ from: T0, to: T0 + 2 * H }] },
    run: (h) => { h.send(water(T0, 100), T0); h.advance(T0 + 14 * H); },
  },
  {
    rule: 'water.away_return_missing', name: 'use 11:59 after the away period', fires: false,
    fleet: { ...onlineMeter, away: [{ from: T0, to: T0 + 2 * H }] },
    run: (h) => { h.send(water(T0, 100), T0); h.send(water(T0 + 14 * H - MIN, 103), T0 + 14 * H - MIN); h.advance(T0 + 15 * H); },
  },
  // water.routine_deviation: learned rising 07:00 (5 days), alert at the latest usual rising + 60 min
  {
    rule: 'water.routine_deviation', name: 'up at 08:15 after five 07:00 risings', fires: true, fleet: QUICK,
    run: (h) => { const home = new Household(h); home.days(0, 5); home.day(5, shifted(DAY, 75, '00:00', '08:00')); },
  },
  {
    rule: 'water.routine_deviation', name: 'up at 07:45 after five 07:00 risings', fires: false, fleet: QUICK,
    run: (h) => { const home = new Household(h); home.days(0, 5); home.day(5, shifted(DAY, 45, '00:00', '08:00')); },
  },
  // smoke
  { rule: 'smoke.alarm', name: 'alarm event', fires: true, severity: 'critical', run: (h) => h.send(smoke(T0, 'alarm'), T0) },
  { rule: 'smoke.alarm', name: 'self-test', fires: false, run: (h) => h.send(smoke(T0, 'test'), T0) },
  { rule: 'smoke.fault', name: 'chamber dirty', fires: true, run: (h) => h.send(smoke(T0, 'chamber_dirty'), T0) },
  { rule: 'smoke.fault', name: 'silenced', fires: false, run: (h) => h.send(smoke(T0, 'silenced'), T0) },
  { rule: 'smoke.tamper', name: 'tamper', fires: true, run: (h) => h.send(smoke(T0, 'tamper'), T0) },
  { rule: 'smoke.tamper', name: 'tamper restored alone', fires: false, run: (h) => h.send(smoke(T0, 'tamper_restored'), T0) },
  { rule: 'smoke.offline', name: 'no heartbeat for 2 x 1 h', fires: true, run: (h) => { h.send(smoke(T0), T0); h.advance(T0 + 2 * H); } },
  { rule: 'smoke.offline', name: 'no heartbeat for 2 h - 1 ms', fires: false, run: (h) => { h.send(smoke(T0), T0); h.advance(T0 + 2 * H - 1); } },
  { rule: 'device.low_battery', name: 'battery 19.9 %', fires: true, severity: 'low', run: (h) => h.send(smokeBattery(T0, 19.9), T0) },
  { rule: 'device.low_battery', name: 'battery 20 %', fires: false, run: (h) => h.send(smokeBattery(T0, 20), T0) },
  { rule: 'device.low_battery', name: 'low_battery event', fires: true, run: (h) => h.send(smoke(T0, 'low_battery'), T0) },
  // elevator.entrapment: 20 s in a door zone, alarm button >= 3 s while occupied
  { rule: 'elevator.entrapment', name: 'stopped, closed, occupied for 20 s', fires: true, severity: 'critical', run: (h) => { h.send(lift(T0, stopped), T0); h.advance(T0 + 20 * S); } },
  { rule: 'elevator.entrapment', name: 'door opens after 19 s', fires: false, run: (h) => { h.send(lift(T0, stopped), T0); h.send(lift(T0 + 19 * S, { door: 'open', occupied: true }), T0 + 19 * S); h.advance(T0 + 59 * S); } },
  {
    rule: 'elevator.entrapment', name: 'outside a door zone: 30 s of a 30 s threshold', fires: true,
    fleet: { elevatorRules: { 'elevator.entrapment': { outsideDoorZoneAfterS: 30 } } },
    run: (h) => { h.send(lift(T0, { ...stopped, doorZone: false }), T0); h.advance(T0 + 30 * S); },
  },
  {
    rule: 'elevator.entrapment', name: 'outside a door zone: 29 s of a 30 s threshold', fires: false,
    fleet: { elevatorRules: { 'elevator.entrapment': { outsideDoorZoneAfterS: 30 } } },
    run: (h) => { h.send(lift(T0, { ...stopped, doorZone: false }), T0); h.advance(T0 + 29 * S); },
  },
  { rule: 'elevator.entrapment', name: 'alarm button 3.0 s while occupied', fires: true, run: (h) => { h.send(lift(T0, { occupied: true, door: 'open' }), T0); h.send(liftEvent(T0 + S, 'alarm_button', 3000), T0 + S); } },
  { rule: 'elevator.entrapment', name: 'alarm button 2.999 s while occupied', fires: false, run: (h) => { h.send(lift(T0, { occupied: true, door: 'open' }), T0); h.send(liftEvent(T0 + S, 'alarm_button', 2999), T0 + S); } },
  { rule: 'elevator.entrapment', name: 'alarm button 5 s in an empty car', fires: false, run: (h) => { h.send(lift(T0), T0); h.send(liftEvent(T0 + S, 'alarm_button', 5000), T0 + S); } },
  { rule: 'elevator.stopped_outside_door_zone', name: 'stopped outside a door zone 45 s', fires: true, run: (h) => { h.send(lift(T0, { doorZone: false }), T0); h.advance(T0 + 45 * S); } },
  { rule: 'elevator.stopped_outside_door_zone', name: 'stopped outside a door zone 44.999 s', fires: false, run: (h) => { h.send(lift(T0, { doorZone: false }), T0); h.advance(T0 + 45 * S - 1); } },
  { rule: 'elevator.moving_with_door_open', name: 'moving at 1 m/s with the door open', fires: true, severity: 'critical', run: (h) => h.send(lift(T0, { direction: 'up', speedMps: 1, door: 'open', doorZone: false }), T0) },
  { rule: 'elevator.moving_with_door_open', name: 'levelling at 0.5 m/s in the door zone, door opening', fires: false, run: (h) => h.send(lift(T0, { direction: 'down', speedMps: 0.5, door: 'opening', doorZone: true }), T0) },
  { rule: 'elevator.door_held_open', name: 'door open 60 s', fires: true, run: (h) => { h.send(lift(T0, { door: 'open' }), T0); h.advance(T0 + 60 * S); } },
  { rule: 'elevator.door_held_open', name: 'door open 59 s', fires: false, run: (h) => { h.send(lift(T0, { door: 'open' }), T0); h.send(lift(T0 + 59 * S), T0 + 59 * S); h.advance(T0 + 120 * S); } },
  { rule: 'elevator.door_cycling', name: '5 door cycles in 60 s', fires: true, run: (h) => doorCycles(h, 5) },
  { rule: 'elevator.door_cycling', name: '4 door cycles in 60 s', fires: false, run: (h) => doorCycles(h, 4) },
  { rule: 'elevator.overspeed', name: '1.2 x rated speed', fires: true, severity: 'high', run: (h) => speed(h, 1.2 * 1.75) },
  { rule: 'elevator.overspeed', name: '1.19 x rated speed', fires: false, run: (h) => speed(h, 1.19 * 1.75) },
  { rule: 'elevator.overspeed', name: '1.4 x rated speed is critical', fires: true, severity: 'critical', run: (h) => speed(h, 1.4 * 1.75) },
  { rule: 'elevator.overspeed', name: '1.39 x rated speed is only high', fires: true, severity: 'high', run: (h) => speed(h, 1.39 * 1.75) },
  { rule: 'elevator.power_lost', name: 'power_lost event', fires: true, run: (h) => h.send(liftEvent(T0, 'power_lost'), T0) },
  { rule: 'elevator.power_lost', name: 'telemetry on battery', fires: true, run: (h) => { h.send(lift(T0), T0); h.send(lift(T0 + S, { power: 'battery' }), T0 + S); } },
  { rule: 'elevator.power_lost', name: 'power_restored alone', fires: false, run: (h) => h.send(liftEvent(T0, 'power_restored'), T0) },
  { rule: 'elevator.safety_circuit', name: 'safety circuit event', fires: true, run: (h) => h.send(liftEvent(T0, 'safety_circuit'), T0) },
  { rule: 'elevator.safety_circuit', name: 'door lock fault is not the safety circuit', fires: false, run: (h) => h.send(liftEvent(T0, 'door_lock_fault'), T0) },
  { rule: 'elevator.overrun', name: 'overrun at the top', fires: true, run: (h) => h.send(liftEvent(T0, 'overrun_top'), T0) },
  { rule: 'elevator.overrun', name: 'overrun at the bottom', fires: true, run: (h) => h.send(liftEvent(T0, 'overrun_bottom'), T0) },
  { rule: 'elevator.overrun', name: 'a car at the top floor, stopped', fires: false, run: (h) => h.send(lift(T0, { floor: 18 }), T0) },
  { rule: 'elevator.door_lock_fault', name: 'door lock fault event', fires: true, run: (h) => h.send(liftEvent(T0, 'door_lock_fault'), T0) },
  { rule: 'elevator.door_lock_fault', name: 'a test call', fires: false, run: (h) => h.send(liftEvent(T0, 'test_call'), T0) },
  { rule: 'elevator.test_call_missing', name: 'no test call for 72 h', fires: true, run: (h) => { h.send(lift(T0), T0); h.advance(T0 + 72 * H); } },
  { rule: 'elevator.test_call_missing', name: 'a test call at 71 h', fires: false, run: (h) => { h.send(lift(T0), T0); h.send(liftEvent(T0 + 71 * H, 'test_call'), T0 + 71 * H); h.advance(T0 + 72 * H); } },
  { rule: 'elevator.offline', name: 'no message for 2 x 30 s', fires: true, run: (h) => { h.send(lift(T0), T0); h.advance(T0 + 60 * S); } },
  { rule: 'elevator.offline', name: 'no message for 59.999 s', fires: false, run: (h) => { h.send(lift(T0), T0); h.advance(T0 + 60 * S - 1); } },
];

describe('rules: each fires on its condition and stays quiet on its near miss', () => {
  it.each(rows.map((r) => [`${r.rule}: ${r.name} -> ${r.fires ? 'fires' : 'quiet'}`, r] as const))('%s', (_name, row) => {
    const h = new Harness(fleet(row.fleet));
    row.run(h);
    const opened = h.opened(row.rule);
    expect(opened.length > 0).toBe(row.fires);
    if (row.fires) {
      expect(opened).toHaveLength(1);
      const a = h.alert(row.rule);
      expect(a?.reason).toMatch(/\S/);
      if (row.severity) expect(a?.severity).toBe(row.severity);
    }
  });

  it('covers every rule id', () => {
    const covered = new Set(rows.filter((r) => r.fires).map((r) => r.rule));
    const quiet = new Set(rows.filter((r) => !r.fires).map((r) => r.rule));
    for (const id of RULE_IDS) {
      expect([id, covered.has(id)]).toEqual([id, true]);
      expect([id, quiet.has(id)]).toEqual([id, true]);
    }
  });
});
