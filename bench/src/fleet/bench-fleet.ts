import { randomBytes } from 'node:crypto';
import type { RegistryFile } from '@hearthbeat/contracts';

export const BENCH_SITE = 'bench-site';
export const ELEVATOR_FLOORS = { min: -1, max: 18 } as const;

export type LoadKind = 'water_meter' | 'elevator' | 'smoke_alarm';

/** A provisioned device as a load process needs it: its MQTT identity. */
export interface BenchDevice {
  id: string;
  secret: string;
  kind: LoadKind;
}

export interface BenchCredentials {
  username: string;
  password: string;
}

export interface BenchFleet {
  file: RegistryFile;
  /** Devices that carry the telemetry load: water meters and elevator terminals. */
  load: BenchDevice[];
  /** One smoke alarm per resident: the alert-latency probes. */
  smokeAlarms: BenchDevice[];
  /** A `service` user: the counting subscriber on the project's broker. */
  service: BenchCredentials;
  /** A `staff` user of the bench site: logs in to the API for the WebSocket alert stream. */
  staff: BenchCredentials;
}

export interface FleetSize {
  /** Residents, each with a water meter and a smoke alarm. */
  residents: number;
  elevators: number;
  /** Give each resident a smoke alarm too (default true); the connection test needs only meters. */
  smokeAlarms?: boolean;
}

const pad = (n: number) => String(n).padStart(6, '0');

/**
 * The bench's registry: one site, residents with a water meter and a smoke alarm each, elevators with
 * one terminal each, a service user and a staff user. Secrets are random per run (the registry stores
 * only their hashes). Elevator terminals declare a 900 s report interval instead of protocol.md's 30 s:
 * between phases the platform sits idle for minutes, and elevator.offline alerts from that pause would
 * otherwise mix into the latency phase.
 */
export function buildBenchFleet(size: FleetSize): BenchFleet {
  const salt = randomBytes(12).toString('base64url');
  const secretOf = (id: string) => `${id}.${salt}`;
  const file: RegistryFile = {
    sites: [{ id: BENCH_SITE, name: 'Bench site', timezone: 'Asia/Shanghai' }],
    residents: [],
    elevators: [],
    devices: [],
    users: [],
  };
  const load: BenchDevice[] = [];
  const smokeAlarms: BenchDevice[] = [];
  for (let i = 1; i <= size.residents; i++) {
    const wm = `WM-${pad(i)}`;
    const sa = `SA-${pad(i)}`;
    const withAlarm = size.smokeAlarms ?? true;
    file.residents.push({ id: `R-${pad(i)}`, site: BENCH_SITE, name: `Resident ${i}`, devices: withAlarm ? [wm, sa] : [wm] });
    file.devices.push({ id: wm, kind: 'water_meter', secret: secretOf(wm) });
    load.push({ id: wm, secret: secretOf(wm), kind: 'water_meter' });
    if (!withAlarm) continue;
    file.devices.push({ id: sa, kind: 'smoke_alarm', secret: secretOf(sa) });
    smokeAlarms.push({ id: sa, secret: secretOf(sa), kind: 'smoke_alarm' });
  }
  for (let i = 1; i <= size.elevators; i++) {
    const dev = `EL-${pad(i)}`;
    file.elevators.push({ id: `E-${pad(i)}`, site: BENCH_SITE, building: `No. ${1 + (i % 9)}`, minFloor: ELEVATOR_FLOORS.min, maxFloor: ELEVATOR_FLOORS.max, ratedSpeedMps: 1.75, device: dev });
    file.devices.push({ id: dev, kind: 'elevator', reportIntervalS: 900, secret: secretOf(dev) });
    load.push({ id: dev, secret: secretOf(dev), kind: 'elevator' });
  }
  const service = { username: 'bench-sink', password: `sink.${salt}` };
  const staff = { username: 'bench-staff', password: `staff.${salt}` };
  file.users = [
    { id: service.username, role: 'service', sites: [], password: service.password },
    { id: staff.username, role: 'staff', sites: [BENCH_SITE], password: staff.password },
  ];
  return { file, load, smokeAlarms, service, staff };
}

/** A fleet whose load devices number `connections`: elevators make up a fifth, as in a mixed estate. */
export function fleetForLoad(connections: number): FleetSize {
  const elevators = Math.floor(connections / 5);
  return { residents: connections - elevators, elevators };
}
