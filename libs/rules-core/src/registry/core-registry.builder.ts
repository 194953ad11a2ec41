import { checkInCallPolicySchema, escalationPolicySchema, type RegistryFile } from '@hearthbeat/contracts';
import type { CoreRegistry, CoreSite } from './core-registry.types';

/**
 * Picks what the rules need from a parsed registry file. A site's optional `escalation` section is
 * read when the file carries one (it is parsed here, not cast, so that a registry schema without the
 * field still works) or taken from `escalation` by site id. The check-in call policy is read the same
 * way (the engine passes the policies it manages through its API in `checkInCall`, by site id).
 */
export function buildCoreRegistry(file: RegistryFile, escalation: Record<string, unknown> = {}, checkInCall: Record<string, unknown> = {}): CoreRegistry {
  return {
    sites: file.sites.map((s) => {
      const site: CoreSite = { id: s.id, timezone: s.timezone };
      if (s.rules) site.rules = s.rules;
      const raw: unknown = escalation[s.id] ?? (s as Record<string, unknown>)['escalation'];
      if (raw !== undefined) {
        const parsed = escalationPolicySchema.safeParse(raw);
        if (!parsed.success) throw new RangeError(`site ${s.id}: invalid escalation section: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        site.escalation = parsed.data;
      }
      const call: unknown = checkInCall[s.id] ?? (s as Record<string, unknown>)['checkInCall'];
      if (call !== undefined) {
        const parsed = checkInCallPolicySchema.safeParse(call);
        if (!parsed.success) throw new RangeError(`site ${s.id}: invalid checkInCall section: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        site.checkInCall = parsed.data;
      }
      return site;
    }),
    residents: file.residents.map((r) => ({
      id: r.id,
      site: r.site,
      devices: [...r.devices],
      ...(r.rules ? { rules: r.rules } : {}),
      ...(r.away ? { away: r.away.map((a) => ({ ...a })) } : {}),
      callable: { resident: Boolean(r.phone?.trim()), family: (r.contacts ?? []).length > 0 },
    })),
    elevators: file.elevators.map((e) => ({
      id: e.id,
      site: e.site,
      minFloor: e.minFloor,
      maxFloor: e.maxFloor,
      ratedSpeedMps: e.ratedSpeedMps,
      device: e.device,
      ...(e.rules ? { rules: e.rules } : {}),
    })),
    devices: file.devices.map((d) => ({ id: d.id, kind: d.kind, ...(d.reportIntervalS !== undefined ? { reportIntervalS: d.reportIntervalS } : {}) })),
  };
}
