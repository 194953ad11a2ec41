import { Rng } from '../core/prng.util';
import type { TruthSink } from '../devices/device-action.types';
import type { Scenario } from '../scenarios/scenario.types';
import { Car, serveTrip, type DoorTiming, type TimelineItem } from './elevator-car.model';
import { runIncident } from './elevator-incidents.model';
import type { CarSpec } from './elevator-physics.model';
import { ElevatorTraffic } from './elevator-traffic.model';

export interface TimelineConfig {
  elevatorId: string;
  seed: string;
  start: number;
  spec: CarSpec;
  tz: string;
  /** Incidents the car plays (not garbage or test-call ones, which act on the terminal), sorted by start. */
  incidents: Scenario[];
  sink: TruthSink;
}

/**
 * The car's life as state samples and events in time order: passengers' trips as they arrive, and
 * incidents, each started at the car's first idle moment at or after its planned time. Infinite.
 */
export function* elevatorTimeline(cfg: TimelineConfig): Generator<TimelineItem, void> {
  const rng = Rng.derive(cfg.seed, cfg.elevatorId, 'timeline');
  const { spec } = cfg;
  const levels = spec.labels.length;
  const lobby = Math.max(0, spec.labels.indexOf(1));
  const basement = spec.labels[0] !== undefined && spec.labels[0] < 0 ? 0 : null;
  const timing: DoorTiming = {
    openingMs: Math.round(rng.range(2000, 3000)),
    closingMs: Math.round(rng.range(2500, 3500)),
    holdMs: 4000,
  };
  // Busier in taller blocks: about two calls an hour per floor at the peak.
  const peakPerHour = Math.min(60, Math.max(10, 2 * levels)) * rng.range(0.8, 1.2);
  const traffic = new ElevatorTraffic({ levels, lobby, basement, peakPerHour, tz: cfg.tz }, rng.fork('traffic'), cfg.start);
  const car = new Car(spec, lobby);
  const incidentCtx = { elevatorId: cfg.elevatorId, rng: rng.fork('incidents'), timing, sink: cfg.sink };

  let t = cfg.start + Math.round(rng.range(1_000, 6_000));
  yield car.state(t);
  let next = 0;
  for (;;) {
    const incident = cfg.incidents[next];
    const call = traffic.peek();
    if (incident && incident.start <= Math.max(t, call.at)) {
      next++;
      t = yield* runIncident(car, incident, Math.max(t, incident.start), incidentCtx);
      traffic.dropBefore(t);
      continue;
    }
    traffic.pop();
    t = yield* serveTrip(car, call.origin, call.dest, Math.max(t, call.at), timing, rng);
  }
}
