import type { Database } from 'better-sqlite3';
import { DEFAULT_REPORT_INTERVAL_S, type DeviceEntry, type Elevator, type RegistryFile, type Resident, type Site, type UserEntry } from '@hearthbeat/contracts';
import type { DeviceRecord, UserRecord } from './registry-store';
import {
  deepFreeze,
  deviceFromRow,
  deviceRowSchema,
  elevatorFromRow,
  elevatorRowSchema,
  residentFromRow,
  residentRowSchema,
  siteFromRow,
  siteRowSchema,
  userFromRow,
  userRowSchema,
} from './registry-rows.mapper';

export type SubjectRef = NonNullable<DeviceRecord['subject']>;

/**
 * The whole registry held in memory, frozen, rebuilt from SQLite after an import or a change made by
 * another process, and patched in place for single-entity writes. A fleet of 10,000 homes is a few
 * megabytes; in exchange every read (the broker looks a device up for each message) is a Map lookup.
 */
export class RegistrySnapshot {
  readonly sites = new Map<string, Site>();
  readonly residents = new Map<string, Resident>();
  readonly elevators = new Map<string, Elevator>();
  readonly deviceEntries = new Map<string, DeviceEntry>();
  readonly devices = new Map<string, DeviceRecord>();
  /** Stored secret hashes, kept beside the records so that verification needs no query. */
  readonly deviceHashes = new Map<string, string>();
  /** Which subject claims each device. */
  readonly owners = new Map<string, SubjectRef>();
  readonly userEntries = new Map<string, UserEntry>();
  readonly users = new Map<string, UserRecord>();

  static load(db: Database): RegistrySnapshot {
    const s = new RegistrySnapshot();
    const all = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
    for (const row of all('sites')) {
      const site = deepFreeze(siteFromRow(siteRowSchema.parse(row)));
      s.sites.set(site.id, site);
    }
    for (const row of all('residents')) s.putResident(residentFromRow(residentRowSchema.parse(row)));
    for (const row of all('elevators')) {
      const elevator = deepFreeze(elevatorFromRow(elevatorRowSchema.parse(row)));
      s.elevators.set(elevator.id, elevator);
      s.owners.set(elevator.device, { type: 'elevator', id: elevator.id, site: elevator.site });
    }
    for (const raw of all('devices')) {
      const row = deviceRowSchema.parse(raw);
      s.putDevice(deviceFromRow(row), row.secret_hash);
    }
    for (const row of all('users')) {
      const entry = deepFreeze(userFromRow(userRowSchema.parse(row)));
      s.userEntries.set(entry.id, entry);
      s.users.set(entry.id, deepFreeze(toUserRecord(entry)));
    }
    return s;
  }

  /** Sets a resident (a new object: the old one may still be held by callers) and its device claims. */
  putResident(resident: Resident): void {
    const frozen = deepFreeze(resident);
    const previous = this.residents.get(frozen.id);
    for (const d of previous?.devices ?? []) if (this.owners.get(d)?.id === frozen.id) this.owners.delete(d);
    this.residents.set(frozen.id, frozen);
    for (const d of frozen.devices) this.owners.set(d, { type: 'resident', id: frozen.id, site: frozen.site });
    // Device records carry their subject: rebuild those whose owner may have changed.
    for (const d of new Set([...(previous?.devices ?? []), ...frozen.devices])) {
      const entry = this.deviceEntries.get(d);
      if (entry) this.putDevice(entry, this.deviceHashes.get(d) ?? null);
    }
  }

  putDevice(entry: DeviceEntry, secretHash: string | null): DeviceRecord {
    const frozenEntry = deepFreeze(entry);
    this.deviceEntries.set(frozenEntry.id, frozenEntry);
    if (secretHash === null) this.deviceHashes.delete(frozenEntry.id);
    else this.deviceHashes.set(frozenEntry.id, secretHash);
    const record = deepFreeze(this.toDeviceRecord(frozenEntry));
    this.devices.set(record.id, record);
    return record;
  }

  private toDeviceRecord(entry: DeviceEntry): DeviceRecord {
    const record: DeviceRecord = { id: entry.id, kind: entry.kind, reportIntervalS: entry.reportIntervalS ?? DEFAULT_REPORT_INTERVAL_S[entry.kind] };
    const owner = this.owners.get(entry.id);
    if (!owner) return record;
    record.subject = { ...owner };
    const elevator = owner.type === 'elevator' ? this.elevators.get(owner.id) : undefined;
    if (elevator) {
      record.floorRange = { min: elevator.minFloor, max: elevator.maxFloor };
      record.ratedSpeedMps = elevator.ratedSpeedMps;
    }
    return record;
  }

  /** The registry in the file format. Fresh objects (callers may edit them); never secrets or passwords. */
  toFile(): RegistryFile {
    const file: RegistryFile = {
      sites: sortedCopy(this.sites),
      residents: sortedCopy(this.residents),
      elevators: sortedCopy(this.elevators),
      devices: sortedCopy(this.deviceEntries),
    };
    if (this.userEntries.size > 0) file.users = sortedCopy(this.userEntries);
    return file;
  }
}

/** Sorted by id (as SQLite sorts text) so that exports of the same registry are identical. */
function sortedCopy<T extends { id: string }>(map: Map<string, T>): T[] {
  return structuredClone([...map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

function toUserRecord(u: UserEntry): UserRecord {
  const record: UserRecord = { id: u.id, role: u.role, sites: [...u.sites] };
  if (u.name !== undefined) record.name = u.name;
  return record;
}
