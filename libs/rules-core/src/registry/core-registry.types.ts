import type { AwayPeriod, CheckInCallPolicyInput, DeviceKind, EscalationPolicyInput, RuleOverrides } from '@hearthbeat/contracts';

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
  /** An automated check-in call as the first step for residents' alerts (docs/field-workflow.md). */
  checkInCall?: CheckInCallPolicyInput;
}

export interface CoreResident {
  id: string;
  site: string;
  devices: string[];
  rules?: RuleOverrides;
  /** Announced absences from the registry; the API adds more through `addAway`. */
  away?: AwayPeriod[];
  /**
   * Whom a check-in call can reach: the resident has a phone, the resident has family contacts. Only
   * the fact, not the numbers: the engine renders the call request from its registry.
   */
  callable?: { resident: boolean; family: boolean };
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
