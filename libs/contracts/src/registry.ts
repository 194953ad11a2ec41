import { z } from 'zod';
import { DEVICE_ID_PATTERN, DEVICE_KINDS, type DeviceKind } from './ids';
import { ruleOverridesSchema } from './rules';
import { escalationPolicySchema } from './alerts';

/** Ids of sites, residents, elevators and users (user ids may hold dots: "li.bin"). */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const entityId = z.string().regex(ENTITY_ID_PATTERN, 'must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$');
const deviceId = z.string().regex(DEVICE_ID_PATTERN, 'must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$');

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Default reporting intervals (seconds) when a device entry gives none. */
export const DEFAULT_REPORT_INTERVAL_S: Record<DeviceKind, number> = {
  water_meter: 900, // 15 min: elder-care programmes need readings at least every 30-60 min
  smoke_alarm: 3600, // heartbeat; detectors send one every 1-24 h
  elevator: 30, // protocol.md: at least every 30 s while idle
};

export const USER_ROLES = ['staff', 'supervisor', 'maintainer', 'admin', 'service'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const awayPeriodSchema = z
  .object({ from: z.int().min(0), to: z.int().min(0), note: z.string().max(500).optional() })
  .refine((a) => a.to > a.from, { message: '"to" must be after "from"', path: ['to'] });

export const siteSchema = z.object({
  id: entityId,
  name: z.string().min(1).max(200),
  timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  rules: ruleOverridesSchema.optional(),
  /** Escalation tiers and reminders per severity (docs/rules.md); defaults apply where absent. */
  escalation: escalationPolicySchema.optional(),
});

/** A family member or neighbour the second check-in call step rings (docs/field-workflow.md). */
export const contactSchema = z
  .object({ name: z.string().min(1).max(200), phone: z.string().min(3).max(50), relation: z.string().max(100).optional() })
  .strict();

export const residentSchema = z.object({
  id: entityId,
  site: entityId,
  name: z.string().max(200).default(''),
  address: z.string().max(500).optional(),
  phone: z.string().max(50).optional(),
  /** Called in order by the family step of a check-in call when the resident does not answer. */
  contacts: z.array(contactSchema).max(5).optional(),
  devices: z.array(deviceId).default([]),
  rules: ruleOverridesSchema.optional(),
  away: z.array(awayPeriodSchema).optional(),
});

export const elevatorSchema = z
  .object({
    id: entityId,
    site: entityId,
    building: z.string().max(200).optional(),
    minFloor: z.int().min(-20).max(300),
    maxFloor: z.int().min(-20).max(300),
    ratedSpeedMps: z.number().positive().max(25),
    device: deviceId,
    rules: ruleOverridesSchema.optional(),
  })
  .refine((e) => e.maxFloor >= e.minFloor, { message: 'maxFloor must be >= minFloor', path: ['maxFloor'] });

export const deviceSchema = z.object({
  id: deviceId,
  kind: z.enum(DEVICE_KINDS),
  reportIntervalS: z.int().min(1).max(7 * 24 * 3600).optional(),
  /** Plain secret in an import file; hashed on import and never exported. */
  secret: z.string().min(8).max(256).optional(),
});

export const userSchema = z.object({
  id: entityId,
  name: z.string().max(200).optional(),
  password: z.string().min(8).max(256).optional(),
  role: z.enum(USER_ROLES),
  sites: z.array(entityId).default([]),
});

export const registryFileSchema = z.object({
  sites: z.array(siteSchema).default([]),
  residents: z.array(residentSchema).default([]),
  elevators: z.array(elevatorSchema).default([]),
  devices: z.array(deviceSchema).default([]),
  users: z.array(userSchema).optional(),
});

export type AwayPeriod = z.infer<typeof awayPeriodSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Site = z.infer<typeof siteSchema>;
export type Resident = z.infer<typeof residentSchema>;
export type Elevator = z.infer<typeof elevatorSchema>;
export type DeviceEntry = z.infer<typeof deviceSchema>;
export type UserEntry = z.infer<typeof userSchema>;
export type RegistryFile = z.infer<typeof registryFileSchema>;

export interface RegistryProblem {
  /** e.g. `residents[3].devices[1]` */
  path: string;
  message: string;
}

function fmtPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * Parses and cross-checks a registry file: shapes, unique ids, references between sections, device
 * kinds matching their subjects, and no device owned by two subjects. Returns every problem found.
 */
export function parseRegistryFile(input: unknown): { ok: true; value: RegistryFile } | { ok: false; problems: RegistryProblem[] } {
  const parsed = registryFileSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: fmtPath(i.path), message: i.message })) };
  }
  const reg = parsed.data;
  const problems: RegistryProblem[] = [];
  const unique = (section: string, items: { id: string }[]) => {
    const seen = new Set<string>();
    items.forEach((it, i) => {
      if (seen.has(it.id)) problems.push({ path: `${section}[${i}].id`, message: `duplicate id "${it.id}"` });
      seen.add(it.id);
    });
    return seen;
  };
  const sites = unique('sites', reg.sites);
  unique('residents', reg.residents);
  unique('elevators', reg.elevators);
  unique('users', reg.users ?? []);
  unique('devices', reg.devices);
  const kinds = new Map(reg.devices.map((d) => [d.id, d.kind]));
  const owner = new Map<string, string>();
  const claim = (dev: string, by: string, path: string, allowed: DeviceKind[]) => {
    const kind = kinds.get(dev);
    if (!kind) return problems.push({ path, message: `unknown device "${dev}"` });
    if (!allowed.includes(kind)) problems.push({ path, message: `device "${dev}" is of kind ${kind}; expected ${allowed.join(' or ')}` });
    const prev = owner.get(dev);
    if (prev) problems.push({ path, message: `device "${dev}" already belongs to ${prev}` });
    owner.set(dev, by);
    return 0;
  };
  reg.residents.forEach((r, i) => {
    if (!sites.has(r.site)) problems.push({ path: `residents[${i}].site`, message: `unknown site "${r.site}"` });
    r.devices.forEach((d, j) => claim(d, `resident ${r.id}`, `residents[${i}].devices[${j}]`, ['water_meter', 'smoke_alarm']));
  });
  reg.elevators.forEach((e, i) => {
    if (!sites.has(e.site)) problems.push({ path: `elevators[${i}].site`, message: `unknown site "${e.site}"` });
    claim(e.device, `elevator ${e.id}`, `elevators[${i}].device`, ['elevator']);
  });
  (reg.users ?? []).forEach((u, i) => {
    u.sites.forEach((s, j) => {
      if (!sites.has(s)) problems.push({ path: `users[${i}].sites[${j}]`, message: `unknown site "${s}"` });
    });
  });
  return problems.length ? { ok: false, problems } : { ok: true, value: reg };
}
