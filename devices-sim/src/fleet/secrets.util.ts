import { createHmac } from 'node:crypto';

/**
 * Credentials derived from the seed: HMAC-SHA256 keyed with `hearthbeat-sim/<seed>` over a label,
 * base64url. The same seed always yields the same secrets (byte-identical registry files), and nobody
 * can guess them without the seed. They are for test fleets only.
 */
function derive(seed: string, label: string): string {
  return createHmac('sha256', `hearthbeat-sim/${seed}`).update(label).digest('base64url');
}

/** A device's MQTT password: 24 base64url characters. */
export function deviceSecret(seed: string, deviceId: string): string {
  return derive(seed, `device:${deviceId}`).slice(0, 24);
}

/** A user's password: `sim-` and 16 base64url characters. */
export function userPassword(seed: string, userId: string): string {
  return `sim-${derive(seed, `user:${userId}`).slice(0, 16)}`;
}
