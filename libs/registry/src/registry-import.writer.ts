import type { RegistryFile } from '@hearthbeat/contracts';
import type { RegistryStatements } from './registry.statements';
import { awayToColumn, deviceToRow, elevatorToRow, residentToRow, siteToRow, userToRow } from './registry-rows.mapper';

/**
 * Upserts every entity of a checked file, in foreign-key order, writing only rows that differ from the
 * stored ones. Runs inside the caller's transaction. `deviceHashes` and `userHashes` hold the hash to
 * store for each secret or password the file supplies (the stored one when it already matches).
 * Returns how many entities changed and which devices got a new secret hash.
 */
export function writeImport(
  s: RegistryStatements,
  file: RegistryFile,
  deviceHashes: ReadonlyMap<string, string>,
  userHashes: ReadonlyMap<string, string>,
): { changed: number; rekeyed: string[] } {
  let changed = 0;
  const count = (wrote: boolean) => {
    if (wrote) changed++;
  };
  const rekeyed: string[] = [];
  for (const site of file.sites) count(s.sites.write(siteToRow(site)));
  for (const d of file.devices) {
    const existing = s.devices.find(d.id);
    // A device without a secret in the file keeps the one it has (provisioned, or from an earlier file).
    const hash = deviceHashes.get(d.id) ?? existing?.secret_hash ?? null;
    if (existing && existing.secret_hash !== hash) rekeyed.push(d.id);
    count(s.devices.writeOver(deviceToRow(d, hash), existing));
  }
  for (const r of file.residents) {
    const existing = s.residents.find(r.id);
    // Absences are operational data that staff add through the API: a file without `away` keeps them.
    const away = r.away !== undefined ? awayToColumn(r.away) : (existing?.away ?? null);
    count(s.residents.writeOver(residentToRow(r, away), existing));
  }
  for (const e of file.elevators) count(s.elevators.write(elevatorToRow(e)));
  for (const u of file.users ?? []) {
    const existing = s.users.find(u.id);
    // Same rule as device secrets: no password in the file keeps the stored one.
    const hash = userHashes.get(u.id) ?? existing?.password_hash ?? null;
    count(s.users.writeOver(userToRow(u, hash), existing));
  }
  return { changed, rekeyed };
}
