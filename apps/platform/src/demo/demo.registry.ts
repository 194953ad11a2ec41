import type { RegistryFile, UserEntry } from '@hearthbeat/contracts';
import { generateRegistry, type FleetOptions } from '@hearthbeat/devices-sim';

export const DEMO_SITE = { id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' } as const;
export const DEMO_SEED = 'demo';

/** The demo's accounts: printed at start. Demo credentials only, never for a real installation. */
export const DEMO_USERS: readonly (UserEntry & { password: string; what: string })[] = [
  { id: 'demo', password: 'demo-password', role: 'staff', sites: [DEMO_SITE.id], what: 'community staff: residents and their alerts' },
  { id: 'super', password: 'super-password', role: 'supervisor', sites: [DEMO_SITE.id], what: 'supervisor: residents, escalations, rule settings' },
  { id: 'maint', password: 'maint-password', role: 'maintainer', sites: [DEMO_SITE.id], what: 'elevator maintainer: lifts, live car state' },
  { id: 'admin', password: 'admin-password', role: 'admin', sites: [], what: 'admin: everything, registry, webhooks' },
];

/**
 * The simulator's fleet options: 10 homes (a water meter and a smoke alarm each) and 2 lifts; meters
 * read every minute and detectors beat every 5 min, so that device health moves while you watch.
 */
export const DEMO_FLEET: FleetOptions = {
  seed: DEMO_SEED,
  residents: 10,
  elevators: 2,
  site: { ...DEMO_SITE },
  meterIntervalS: 60,
  batch: 1,
  heartbeatS: 300,
  elevatorIntervalS: 30,
};

/** The simulator's registry (devices with their secrets) with the demo users instead of the simulator's. */
export function demoRegistry(): RegistryFile {
  const fleet = generateRegistry(DEMO_FLEET);
  return { ...fleet, users: DEMO_USERS.map(({ what: _what, ...u }) => ({ ...u, sites: [...u.sites] })) };
}
