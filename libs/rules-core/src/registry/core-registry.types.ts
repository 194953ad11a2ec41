import type { AwayPeriod, DeviceKind, EscalationPolicyInput, RuleOverrides } from '@hearthbeat/contracts';

/**
 * What the rules core needs to know about the fleet: a plain value, a subset of the registry file
 * (protocol.md "Registry file") without names, secrets or users. `buildCoreRegistry` makes one from a
 * parsed `RegistryFile`; the live engine passes a fresh one to `updateRegistry` after every change.
 */
export interface CoreSite {
  id: string;
  timezone: string;
  rules?: RuleOverrides;
  /** Escalation tiers and reminders per severity, over DEFAULT_ESCALATION. */
  escalation?: EscalationPolicyInput;
}

export interface CoreResident {
  id: string;
  site: string;
  devices: string[];
  rules?: RuleOverrides;
  /** Announced absences from the registry; the API adds more through `addAway`. */
  away?: AwayPeriod[];
}

export interface CoreElevator {
  id: string;
  site: string;
  minFloor: number;
  maxFloor: number;
  ratedSpeedMps: number;
  device: string;
  rules?: RuleOverrides;
}

export interface CoreDevice {
  id: string;
  kind: DeviceKind;
  /** Seconds between regular messages; DEFAULT_REPORT_INTERVAL_S of the kind when absent. */
  reportIntervalS?: number;
}

export interface CoreRegistry {
  sites: CoreSite[];
  residents: CoreResident[];
  elevators: CoreElevator[];
  devices: CoreDevice[];
}
