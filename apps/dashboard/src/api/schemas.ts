import { z } from 'zod';
import {
  ALERT_STATES,
  DEVICE_KINDS,
  DIRECTIONS,
  DOOR_STATES,
  ELEVATOR_MODES,
  POWER_STATES,
  RISK_COLOURS,
  SEVERITIES,
  SUBJECT_TYPES,
  TIMELINE_ACTIONS,
  USER_ROLES,
  type Alert,
} from '@hearthbeat/contracts';

/**
 * What the dashboard reads from the API, parsed at the edge (never cast). Objects are loose on purpose:
 * fields a newer engine adds are ignored, and a rule or outcome this build does not know is shown by
 * its id rather than dropping the alert.
 */
const ms = z.number();
const subjectRef = z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() });

export const userSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  role: z.enum(USER_ROLES),
  sites: z.array(z.string()),
});
export type SessionUser = z.infer<typeof userSchema>;

export const loginResultSchema = z.object({ token: z.string(), expiresAt: ms, user: userSchema });
export type LoginResult = z.infer<typeof loginResultSchema>;

export const siteSchema = z.object({ id: z.string(), name: z.string(), timezone: z.string() });
export type SiteView = z.infer<typeof siteSchema>;

export const alertSchema = z.object({
  id: z.string(),
  rule: z.string(),
  state: z.enum(ALERT_STATES),
  severity: z.enum(SEVERITIES),
  subject: subjectRef,
  site: z.string(),
  deviceId: z.string().optional(),
  openedAt: ms,
  lastSeenAt: ms,
  count: z.number().default(1),
  reason: z.string().default(''),
  assignee: z.string().optional(),
  acknowledgedAt: ms.optional(),
  acknowledgedBy: z.string().optional(),
  resolvedAt: ms.optional(),
  resolvedBy: z.string().optional(),
  outcome: z.string().optional(),
  reopenedAt: ms.optional(),
  escalationLevel: z.number().default(0),
  nextEscalationAt: ms.optional(),
  nextReminderAt: ms.optional(),
  autoClearAt: ms.optional(),
  /** Field workflow: when a person reported being at the door or the lift. */
  onSiteAt: ms.optional(),
  onSiteBy: z.string().optional(),
});
/** An alert without its timeline, as lists and live pushes carry it. */
export type AlertView = z.infer<typeof alertSchema>;

/** Compile-time check that the view stays the contracts' alert (rule and outcome widened to strings). */
type Assignable<T extends U, U> = T;
export type AlertViewMatchesContract = Assignable<Omit<Alert, 'timeline' | 'rule' | 'outcome' | 'calls'>, Omit<AlertView, 'rule' | 'outcome'>>;

export const timelineEntrySchema = z.object({
  n: z.number(),
  at: ms,
  by: z.string(),
  action: z.union([z.enum(TIMELINE_ACTIONS), z.string()]),
  note: z.string().optional(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type TimelineEntryView = z.infer<typeof timelineEntrySchema>;

export const alertDetailSchema = alertSchema.extend({ timeline: z.array(timelineEntrySchema).default([]) });
export type AlertDetail = z.infer<typeof alertDetailSchema>;

export const rejectionCountSchema = z.object({
  source: z.string(),
  reason: z.string(),
  count: z.number(),
  lastAt: ms.optional(),
  lastMessage: z.string().optional(),
});

export const deviceHealthSchema = z.object({
  id: z.string(),
  kind: z.enum(DEVICE_KINDS),
  reportIntervalS: z.number(),
  subject: z.object({ type: z.enum(['resident', 'elevator']), id: z.string(), site: z.string() }).optional(),
  lastSeenAt: ms.optional(),
  online: z.boolean(),
  connected: z.boolean().optional(),
  batteryPct: z.number().optional(),
  batteryLow: z.boolean().optional(),
  rssi: z.number().optional(),
  rssiAt: ms.optional(),
  rejections: z.array(rejectionCountSchema).default([]),
});
export type DeviceHealthView = z.infer<typeof deviceHealthSchema>;

export const residentSchema = z.object({
  id: z.string(),
  site: z.string(),
  name: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
  devices: z.array(z.string()).default([]),
  risk: z.enum(RISK_COLOURS),
  unresolvedAlerts: z.number().default(0),
  awayNow: z.boolean().default(false),
});
export type ResidentView = z.infer<typeof residentSchema>;

export const awayEntrySchema = z.object({
  id: z.string(),
  from: ms,
  to: ms,
  note: z.string().optional(),
  source: z.string().optional(),
  by: z.string().optional(),
  ended: z.boolean().optional(),
});
export type AwayView = z.infer<typeof awayEntrySchema>;

export const residentDetailSchema = residentSchema.extend({
  deviceHealth: z.array(deviceHealthSchema).default([]),
  alerts: z.array(alertSchema).default([]),
  away: z.array(awayEntrySchema).default([]),
});
export type ResidentDetail = z.infer<typeof residentDetailSchema>;

/** The car's latest state, from GET /api/elevators/{id} or a live `elevator` push. */
export const carStateSchema = z.object({
  stateTs: ms.optional(),
  floor: z.number().optional(),
  doorZone: z.boolean().optional(),
  direction: z.enum(DIRECTIONS).optional(),
  door: z.enum(DOOR_STATES).optional(),
  occupied: z.boolean().optional(),
  speedMps: z.number().optional(),
  mode: z.enum(ELEVATOR_MODES).optional(),
  power: z.enum(POWER_STATES).optional(),
  lastTestCallAt: ms.optional(),
});
export type CarState = z.infer<typeof carStateSchema>;

export const elevatorSchema = z.object({
  id: z.string(),
  site: z.string(),
  building: z.string().optional(),
  minFloor: z.number(),
  maxFloor: z.number(),
  ratedSpeedMps: z.number().optional(),
  device: z.string(),
  risk: z.enum(RISK_COLOURS),
  unresolvedAlerts: z.number().default(0),
  online: z.boolean().default(false),
});
export type ElevatorView = z.infer<typeof elevatorSchema>;

export const elevatorDetailSchema = elevatorSchema.extend({
  state: carStateSchema.optional(),
  deviceHealth: z.array(deviceHealthSchema).default([]),
  alerts: z.array(alertSchema).default([]),
});
export type ElevatorDetail = z.infer<typeof elevatorDetailSchema>;

export const errorBodySchema = z.object({ error: z.string(), message: z.string(), field: z.string().optional() });

/** The OpenAPI document, only as far as the dashboard looks into it (which routes exist). */
export const openApiSchema = z.object({ paths: z.record(z.string(), z.unknown()) });
