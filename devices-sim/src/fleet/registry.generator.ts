import type { DeviceEntry, Elevator, RegistryFile, Resident, Site, UserEntry } from '@hearthbeat/contracts';
import { Rng } from '../core/prng.util';
import { flatAddress, personName, phoneNumber } from './names.data';
import { deviceSecret, userPassword } from './secrets.util';

export interface FleetOptions {
  seed: string;
  residents: number;
  elevators: number;
  site: Site;
  /** Water meter reading interval, seconds (15 min by default). */
  meterIntervalS: number;
  /** Readings per water meter upload. */
  batch: number;
  /** Smoke alarm heartbeat period, seconds. */
  heartbeatS: number;
  /** Elevator terminal heartbeat while idle, seconds (protocol.md: 30). */
  elevatorIntervalS: number;
}

/** The three users every generated registry carries (role, id, display name). */
export const SIM_USERS: readonly { id: string; role: UserEntry['role']; name: string }[] = [
  { id: 'engine', role: 'service', name: 'Rules engine (service account)' },
  { id: 'staff', role: 'staff', name: 'Community staff (demo)' },
  { id: 'maintainer', role: 'maintainer', name: 'Elevator maintainer (demo)' },
];

const pad = (n: number) => String(n).padStart(4, '0');
export const residentId = (n: number) => `R-${pad(n)}`;
export const meterId = (n: number) => `WM-${pad(n)}`;
export const smokeId = (n: number) => `SA-${pad(n)}`;
export const elevatorId = (n: number) => `EL-${pad(n)}`;

/**
 * A registry in protocol.md's file format: one site, residents with a water meter and a smoke alarm each,
 * elevators whose terminal's device id is the elevator's id, every device with its reporting interval and
 * a secret derived from the seed, and the three users. Away periods are added by the scenario planner.
 */
export function generateRegistry(opts: FleetOptions): RegistryFile {
  const site = opts.site;
  const residents: Resident[] = [];
  const elevators: Elevator[] = [];
  const devices: DeviceEntry[] = [];
  // A batching meter sends once per batch: that is its reporting interval for the offline rules.
  const meterReportS = opts.meterIntervalS * opts.batch;
  for (let n = 1; n <= opts.residents; n++) {
    const rng = Rng.derive(opts.seed, residentId(n), 'identity');
    residents.push({
      id: residentId(n),
      site: site.id,
      name: personName(rng),
      address: flatAddress(rng, site.name),
      phone: phoneNumber(n),
      devices: [meterId(n), smokeId(n)],
    });
  }
  for (let n = 1; n <= opts.residents; n++) {
    devices.push({ id: meterId(n), kind: 'water_meter', reportIntervalS: meterReportS, secret: deviceSecret(opts.seed, meterId(n)) });
    devices.push({ id: smokeId(n), kind: 'smoke_alarm', reportIntervalS: opts.heartbeatS, secret: deviceSecret(opts.seed, smokeId(n)) });
  }
  for (let n = 1; n <= opts.elevators; n++) {
    const rng = Rng.derive(opts.seed, elevatorId(n), 'installation');
    const maxFloor = rng.pick([6, 7, 11, 12, 14, 18, 18, 24, 26, 33]);
    const minFloor = maxFloor >= 11 && rng.chance(0.6) ? rng.pick([-1, -1, -2]) : 1;
    // Rated speeds of residential lifts in China by building height (GB 7588 installations).
    const ratedSpeedMps = maxFloor <= 7 ? 1.0 : maxFloor <= 12 ? 1.5 : maxFloor <= 26 ? 1.75 : 2.5;
    elevators.push({ id: elevatorId(n), site: site.id, building: `No. ${n}`, minFloor, maxFloor, ratedSpeedMps, device: elevatorId(n) });
    devices.push({ id: elevatorId(n), kind: 'elevator', reportIntervalS: opts.elevatorIntervalS, secret: deviceSecret(opts.seed, elevatorId(n)) });
  }
  const users: UserEntry[] = SIM_USERS.map((u) => ({ id: u.id, name: u.name, password: userPassword(opts.seed, u.id), role: u.role, sites: [site.id] }));
  return { sites: [site], residents, elevators, devices, users };
}
