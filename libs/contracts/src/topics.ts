import { isDeviceId } from './ids';

/** protocol.md, "Topics": everything lives under hb/v1/{deviceId}/. */
export const TOPIC_ROOT = 'hb/v1';
export const CHANNELS = ['telemetry', 'event', 'status', 'cmd'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The channels a device publishes on (cmd is platform -> device). */
export const DEVICE_PUBLISH_CHANNELS = ['telemetry', 'event', 'status'] as const;
export type DevicePublishChannel = (typeof DEVICE_PUBLISH_CHANNELS)[number];

export function deviceTopic(deviceId: string, channel: Channel): string {
  if (!isDeviceId(deviceId)) throw new RangeError(`invalid deviceId ${JSON.stringify(deviceId)}`);
  return `${TOPIC_ROOT}/${deviceId}/${channel}`;
}

export const telemetryTopic = (deviceId: string): string => deviceTopic(deviceId, 'telemetry');
export const eventTopic = (deviceId: string): string => deviceTopic(deviceId, 'event');
export const statusTopic = (deviceId: string): string => deviceTopic(deviceId, 'status');
export const cmdTopic = (deviceId: string): string => deviceTopic(deviceId, 'cmd');

/** Filters a service (the rules engine) subscribes to in order to see every device. */
export const ALL_DEVICES_FILTERS: readonly string[] = DEVICE_PUBLISH_CHANNELS.map((c) => `${TOPIC_ROOT}/+/${c}`);

export interface ParsedTopic {
  deviceId: string;
  channel: Channel;
}

/** Splits a concrete topic into device id and channel; null when it is not a protocol v1 device topic. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== 'hb' || parts[1] !== 'v1') return null;
  const deviceId = parts[2] as string;
  const channel = parts[3] as string;
  if (!isDeviceId(deviceId) || !(CHANNELS as readonly string[]).includes(channel)) return null;
  return { deviceId, channel: channel as Channel };
}

/**
 * MQTT 3.1.1 topic filter matching ([MQTT-4.7]): `+` matches one level, `#` (last) matches the rest,
 * including the parent level. Filters starting with a wildcard never match topics starting with `$`
 * ([MQTT-4.7.2-1]).
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when a filter is syntactically valid per [MQTT-4.7.1]. */
export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    if (level.includes('+')) return level === '+';
    return true;
  });
}
