import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters (RFC 7914): N = CPU/memory cost (a power of two), r = block size, p = parallelism. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * Passwords are chosen by people, so they are low-entropy and must be expensive to guess offline:
 * N=2^14, r=8, p=1 (16 MiB, tens of milliseconds) is the interactive-login setting of the scrypt paper
 * (Percival 2009). OWASP's cheat sheet now asks for N=2^17 (128 MiB); hashes name their parameters, so
 * the cost can be raised later and older hashes keep verifying (an import carrying the password re-hashes it).
 */
export const PASSWORD_COST: ScryptCost = { N: 16384, r: 8, p: 1 };

/**
 * Device secrets are 256-bit random strings made by the platform (`provisionDevice`), so nobody can guess
 * one whatever the cost: the hash only has to keep a stolen database from revealing the secrets, and
 * stretching adds nothing against a 2^256 search. N=2^10 (1 MiB, about 1-2 ms) keeps a reconnect storm
 * of 10,000+ devices after a broker restart to seconds of CPU instead of minutes. Secrets supplied in
 * an import file are the operator's responsibility; docs/registry.md asks for long random ones.
 */
export const DEVICE_SECRET_COST: ScryptCost = { N: 1024, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse absurd parameters read back from storage rather than let a bad row exhaust memory. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;
/** Longer inputs are refused without hashing: no legitimate secret or password is this long. */
export const MAX_SECRET_BYTES = 1024;

export interface ParsedHash extends ScryptCost {
  salt: Buffer;
  hash: Buffer;
}

function scryptAsync(secret: Buffer, salt: Buffer, keylen: number, cost: ScryptCost): Promise<Buffer> {
  // node's default maxmem (32 MiB) is just above N=16384,r=8; allow twice what the parameters need.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** NFC so that the same password typed on different systems (composed or decomposed accents) matches. */
function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.normalize('NFC'), 'utf8');
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function checkCost(cost: ScryptCost): void {
  if (!isPowerOfTwo(cost.N) || cost.N > MAX_N) throw new RangeError(`scrypt N must be a power of two up to ${MAX_N}`);
  if (!Number.isInteger(cost.r) || cost.r < 1 || cost.r > MAX_R) throw new RangeError(`scrypt r must be 1..${MAX_R}`);
  if (!Number.isInteger(cost.p) || cost.p < 1 || cost.p > MAX_P) throw new RangeError(`scrypt p must be 1..${MAX_P}`);
}

/** Hashes a secret with a fresh random salt; the result names its own parameters: `scrypt$N$r$p$salt$hash`. */
export async function hashSecret(secret: string, cost: ScryptCost): Promise<string> {
  checkCost(cost);
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(secretBytes(secret), salt, KEY_BYTES, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const DECIMAL = /^[1-9][0-9]{0,7}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads a stored hash; undefined when it is not one this module wrote (verification then fails). */
export function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts;
  if (!n || !r || !p || !salt || !hash) return undefined;
  if (!DECIMAL.test(n) || !DECIMAL.test(r) || !DECIMAL.test(p) || !BASE64.test(salt) || !BASE64.test(hash)) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  try {
    checkCost(cost);
  } catch {
    return undefined;
  }
  const parsed = { ...cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
  return parsed.salt.length >= 8 && parsed.hash.length >= 16 ? parsed : undefined;
}

/** Checks a secret against a stored hash, comparing in constant time. Never throws on bad input. */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  const bytes = secretBytes(secret);
  if (!parsed || bytes.length > MAX_SECRET_BYTES) return false;
  const key = await scryptAsync(bytes, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(key, parsed.hash);
}

/** Whether a stored hash was made with other parameters than `cost` (e.g. after a cost change). */
export function hashUsesCost(encoded: string, cost: ScryptCost): boolean {
  const parsed = parseHash(encoded);
  return parsed !== undefined && parsed.N === cost.N && parsed.r === cost.r && parsed.p === cost.p;
}
