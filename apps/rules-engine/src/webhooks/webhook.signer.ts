import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hearthbeat-signature';
export const DELIVERY_HEADER = 'x-hearthbeat-delivery';
export const TIMESTAMP_HEADER = 'x-hearthbeat-timestamp';
export const EVENT_HEADER = 'x-hearthbeat-event';

/** `sha256=HEX`: HMAC-SHA256 of the raw body bytes with the webhook's secret (the GitHub convention). */
export function signBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** What a receiver does: recompute over the raw bytes received and compare in constant time. */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
