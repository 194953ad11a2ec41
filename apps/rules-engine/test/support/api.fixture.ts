import type { RegistryFile } from '@hearthbeat/contracts';
import { ApiClient } from './api.client';
import type { Clock } from '../../src';
import { smallRegistry, startStack, type Stack } from './engine.harness';

/** Users of the API tests: one per role, at the home site (jiangsu-road) and at another site. */
export const USERS = {
  staff: { id: 'li.bin', password: 'staff-password', role: 'staff', sites: ['jiangsu-road'] },
  staff2: { id: 'wu.fang', password: 'staff2-password', role: 'staff', sites: ['jiangsu-road'] },
  staffOther: { id: 'zhou.min', password: 'other-password', role: 'staff', sites: ['yan-an'] },
  supervisor: { id: 'chen.sup', password: 'super-password', role: 'supervisor', sites: ['jiangsu-road'] },
  maintainer: { id: 'lift.tech', password: 'maint-password', role: 'maintainer', sites: ['jiangsu-road'] },
  maintainerOther: { id: 'lift.other', password: 'maint2-password', role: 'maintainer', sites: ['yan-an'] },
  admin: { id: 'admin', password: 'admin-password', role: 'admin', sites: [] },
  service: { id: 'sms-gateway', password: 'service-password', role: 'service', sites: ['jiangsu-road'] },
} as const;
export type UserKey = keyof typeof USERS;

/** smallRegistry (jiangsu-road) plus a second site with its own resident and elevator, and the users above. */
export function apiRegistry(rules: RegistryFile['sites'][number]['rules'] = {}): RegistryFile {
  const base = smallRegistry(rules);
  return {
    sites: [...base.sites, { id: 'yan-an', name: 'Yan An', timezone: 'Asia/Shanghai' }],
    // R-0101 has a phone: the check-in call routes need a resident a call can reach.
    residents: [...base.residents, { id: 'R-0101', site: 'yan-an', name: 'Sun', phone: '+86 21 5555 0101', devices: ['SA-0101'] }],
    elevators: [...base.elevators, { id: 'EL-0101', site: 'yan-an', minFloor: 1, maxFloor: 12, ratedSpeedMps: 1, device: 'EL-0101' }],
    devices: [
      ...base.devices,
      { id: 'SA-0101', kind: 'smoke_alarm', reportIntervalS: 3600, secret: 'secret-SA-0101' },
      { id: 'EL-0101', kind: 'elevator', reportIntervalS: 30, secret: 'secret-EL-0101' },
    ],
    users: Object.values(USERS).map((u) => ({ id: u.id, password: u.password, role: u.role, sites: [...u.sites] })),
  };
}

export interface ApiStack {
  stack: Stack;
  api: ApiClient;
  port: number;
  /** A token per user, signed in once and cached. */
  token(user: UserKey): Promise<string>;
  /** Drops a cached token (after a password change or an expiry). */
  forget(user: UserKey): void;
  stop(): Promise<void>;
}

export async function startApiStack(opts: { env?: Record<string, string>; file?: RegistryFile; clock?: Clock } = {}): Promise<ApiStack> {
  const stack = await startStack({ file: opts.file ?? apiRegistry(), broker: 'hearthbeat', ...(opts.env ? { env: opts.env } : {}), ...(opts.clock ? { clock: opts.clock } : {}) });
  const api = new ApiClient(() => `http://127.0.0.1:${stack.engine.httpPort}`);
  const tokens = new Map<UserKey, string>();
  return {
    stack,
    api,
    get port() {
      return stack.engine.httpPort;
    },
    async token(user) {
      let t = tokens.get(user);
      if (!t) tokens.set(user, (t = await api.login(USERS[user].id, USERS[user].password)));
      return t;
    },
    forget(user) {
      tokens.delete(user);
    },
    stop: () => stack.stop(),
  };
}

export const ELEVATOR_IDLE = { floor: 3, doorZone: true, direction: 'stopped', door: 'open', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' } as const;
