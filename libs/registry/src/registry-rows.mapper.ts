import { z } from 'zod';
import {
  deviceSchema,
  elevatorSchema,
  residentSchema,
  siteSchema,
  userSchema,
  type DeviceEntry,
  type Elevator,
  type Resident,
  type Site,
  type UserEntry,
} from '@hearthbeat/contracts';

/*
 * Rows as SQLite returns them, and the conversions to and from the contracts' entities. Rows are parsed
 * on the way in (the database file is an edge: another version or a hand edit may have written it) and
 * entities go back through the contracts' schemas, so a bad row fails loudly instead of spreading.
 */

const text = z.string();
const nullableText = z.string().nullable();

export const siteRowSchema = z.object({ id: text, name: text, timezone: text, rules: nullableText, escalation: nullableText });
export const deviceRowSchema = z.object({ id: text, kind: text, report_interval_s: z.number().nullable(), secret_hash: nullableText });
export const residentRowSchema = z.object({
  id: text,
  site: text,
  name: text,
  address: nullableText,
  phone: nullableText,
  devices: text,
  rules: nullableText,
  away: nullableText,
  contacts: nullableText,
});
export const elevatorRowSchema = z.object({
  id: text,
  site: text,
  building: nullableText,
  min_floor: z.number(),
  max_floor: z.number(),
  rated_speed_mps: z.number(),
  device: text,
  rules: nullableText,
});
export const userRowSchema = z.object({ id: text, name: nullableText, role: text, sites: text, password_hash: nullableText });

export type SiteRow = z.infer<typeof siteRowSchema>;
export type DeviceRow = z.infer<typeof deviceRowSchema>;
export type ResidentRow = z.infer<typeof residentRowSchema>;
export type ElevatorRow = z.infer<typeof elevatorRowSchema>;
export type UserRow = z.infer<typeof userRowSchema>;
export type AnyRow = SiteRow | DeviceRow | ResidentRow | ElevatorRow | UserRow;

/** JSON with object keys sorted, so that equal values always give equal text (and equal rows). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : canonicalJson(value);
}

function parseJson(column: string, textValue: string | null): unknown {
  if (textValue === null) return undefined;
  try {
    return JSON.parse(textValue);
  } catch {
    throw new Error(`registry database: column ${column} holds invalid JSON`);
  }
}

/** Drops undefined and null members so that optional fields are absent, as in a file. */
function present(candidate: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined && v !== null));
}

/** Rows hold only text, numbers and null, so column-by-column identity is equality. */
export function sameRow(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]));
}

export function siteToRow(s: Site): SiteRow {
  return { id: s.id, name: s.name, timezone: s.timezone, rules: jsonOrNull(s.rules), escalation: jsonOrNull(s.escalation) };
}
export function siteFromRow(r: SiteRow): Site {
  return siteSchema.parse(
    present({ id: r.id, name: r.name, timezone: r.timezone, rules: parseJson('sites.rules', r.rules), escalation: parseJson('sites.escalation', r.escalation) }),
  );
}

export function deviceToRow(d: DeviceEntry, secretHash: string | null): DeviceRow {
  return { id: d.id, kind: d.kind, report_interval_s: d.reportIntervalS ?? null, secret_hash: secretHash };
}
/** The file entry of a device, without its secret: secrets are never read back out of the store. */
export function deviceFromRow(r: DeviceRow): DeviceEntry {
  return deviceSchema.parse(present({ id: r.id, kind: r.kind, reportIntervalS: r.report_interval_s }));
}

/** `away` is passed separately: the stored list survives an import whose resident omits it. */
export function residentToRow(r: Resident, away: string | null): ResidentRow {
  return {
    id: r.id,
    site: r.site,
    name: r.name,
    address: r.address ?? null,
    phone: r.phone ?? null,
    devices: canonicalJson(r.devices),
    rules: jsonOrNull(r.rules),
    away,
    contacts: jsonOrNull(r.contacts),
  };
}
export function awayToColumn(away: Resident['away']): string | null {
  return jsonOrNull(away);
}
export function residentFromRow(r: ResidentRow): Resident {
  return residentSchema.parse(
    present({
      id: r.id,
      site: r.site,
      name: r.name,
      address: r.address,
      phone: r.phone,
      devices: parseJson('residents.devices', r.devices),
      rules: parseJson('residents.rules', r.rules),
      away: parseJson('residents.away', r.away),
      contacts: parseJson('residents.contacts', r.contacts),
    }),
  );
}

export function elevatorToRow(e: Elevator): ElevatorRow {
  return {
    id: e.id,
    site: e.site,
    building: e.building ?? null,
    min_floor: e.minFloor,
    max_floor: e.maxFloor,
    rated_speed_mps: e.ratedSpeedMps,
    device: e.device,
    rules: jsonOrNull(e.rules),
  };
}
export function elevatorFromRow(r: ElevatorRow): Elevator {
  return elevatorSchema.parse(
    present({
      id: r.id,
      site: r.site,
      building: r.building,
      minFloor: r.min_floor,
      maxFloor: r.max_floor,
      ratedSpeedMps: r.rated_speed_mps,
      device: r.device,
      rules: parseJson('elevators.rules', r.rules),
    }),
  );
}

export function userToRow(u: UserEntry, passwordHash: string | null): UserRow {
  return { id: u.id, name: u.name ?? null, role: u.role, sites: canonicalJson(u.sites), password_hash: passwordHash };
}
/** The file entry of a user, without the password. */
export function userFromRow(r: UserRow): UserEntry {
  return userSchema.parse(present({ id: r.id, name: r.name, role: r.role, sites: parseJson('users.sites', r.sites) }));
}

/** Records handed out by the store are shared by every caller, so nobody may change them in place. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
