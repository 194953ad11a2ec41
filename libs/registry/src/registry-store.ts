import type { DeviceKind, RegistryFile, RuleOverrides, Site, Resident, Elevator, UserRole, AwayPeriod } from '@hearthbeat/contracts';

/** What the platform knows about one device, secrets aside. */
export interface DeviceRecord {
  id: string;
  kind: DeviceKind;
  /** Seconds between regular messages (telemetry or heartbeat); defaults per kind from the contracts. */
  reportIntervalS: number;
  /** The subject the device belongs to, when assigned. */
  subject?: { type: 'resident' | 'elevator'; id: string; site: string };
  /** Elevators: the floors the car serves and its rated speed (for payload checks and rules). */
  floorRange?: { min: number; max: number };
  ratedSpeedMps?: number;
}

export interface UserRecord {
  id: string;
  name?: string;
  role: UserRole;
  sites: string[];
}

export interface ImportReport {
  sites: number;
  residents: number;
  elevators: number;
  devices: number;
  users: number;
  /** Entities whose stored row changed (created or updated); 0 when the same file is imported twice. */
  changed: number;
}

/**
 * The registry: sites, residents, elevators, devices and users. The embedded default keeps it in an
 * SQLite file under HB_DATA_DIR. Secrets and passwords are stored only as salted scrypt hashes.
 */
export interface RegistryStore {
  /** Imports a parsed registry file; idempotent (importing the same file twice changes nothing). */
  importRegistry(file: RegistryFile): Promise<ImportReport>;
  /** The whole registry in the file format, without any secret or password. */
  exportRegistry(): RegistryFile;

  getDevice(id: string): DeviceRecord | undefined;
  listDevices(): DeviceRecord[];
  /** Checks a device secret against its stored hash (constant time). */
  verifyDeviceSecret(id: string, secret: string): Promise<boolean>;
  /** Creates (or re-keys) a device and returns its new secret; the secret is never stored in clear. */
  provisionDevice(input: { id: string; kind: DeviceKind; reportIntervalS?: number }): Promise<{ device: DeviceRecord; secret: string }>;

  getUser(id: string): UserRecord | undefined;
  listUsers(): UserRecord[];
  /** Returns the user when the password matches its stored hash. */
  verifyUserPassword(id: string, password: string): Promise<UserRecord | undefined>;
  setUserPassword(id: string, password: string): Promise<void>;

  getSite(id: string): Site | undefined;
  listSites(): Site[];
  getResident(id: string): Resident | undefined;
  listResidents(): Resident[];
  getElevator(id: string): Elevator | undefined;
  listElevators(): Elevator[];
  /** Rule overrides, least specific first: [site, subject]. */
  ruleLayers(subject: { type: 'resident' | 'elevator'; id: string }): (RuleOverrides | undefined)[];
  setAway(residentId: string, away: AwayPeriod[]): void;

  close(): void;
}
