import { DEVICE_SECRET_COST, PASSWORD_COST, hashSecret, hashUsesCost, parseHash, verifySecret } from './secret.hasher';

describe('secret hasher', () => {
  it('writes a self-describing scrypt string with the requested cost', async () => {
    const h = await hashSecret('correct horse', PASSWORD_COST);
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    const d = await hashSecret('device-secret', DEVICE_SECRET_COST);
    expect(d.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(parseHash(d)).toMatchObject({ N: 1024, r: 8, p: 1 });
    expect(parseHash(d)?.salt).toHaveLength(16);
    expect(parseHash(d)?.hash).toHaveLength(32);
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const h = await hashSecret('s3cret-value', DEVICE_SECRET_COST);
    await expect(verifySecret('s3cret-value', h)).resolves.toBe(true);
    await expect(verifySecret('s3cret-valuE', h)).resolves.toBe(false);
    await expect(verifySecret('', h)).resolves.toBe(false);
  });

  it('salts: the same secret hashes differently each time, and both verify', async () => {
    const a = await hashSecret('same', DEVICE_SECRET_COST);
    const b = await hashSecret('same', DEVICE_SECRET_COST);
    expect(a).not.toBe(b);
    await expect(verifySecret('same', a)).resolves.toBe(true);
    await expect(verifySecret('same', b)).resolves.toBe(true);
  });

  it('uses the parameters stored in the hash, not the current defaults', async () => {
    const h = await hashSecret('old password', { N: 2048, r: 4, p: 2 });
    expect(hashUsesCost(h, PASSWORD_COST)).toBe(false);
    expect(hashUsesCost(h, { N: 2048, r: 4, p: 2 })).toBe(true);
    await expect(verifySecret('old password', h)).resolves.toBe(true);
    // Tampering with a parameter must break verification rather than be ignored.
    await expect(verifySecret('old password', h.replace('scrypt$2048$', 'scrypt$4096$'))).resolves.toBe(false);
  });

  it('matches composed and decomposed forms of the same password (NFC)', async () => {
    const h = await hashSecret('caf\u00e9-pass', DEVICE_SECRET_COST);
    await expect(verifySecret('cafe\u0301-pass', h)).resolves.toBe(true);
  });

  it.each([
    ['empty', ''],
    ['plain text', 'secret'],
    ['other scheme', 'argon2$1$2$3$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['N absurdly large', 'scrypt$67108864$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['missing part', 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0'],
    ['bad base64', 'scrypt$1024$8$1$!!!!$aGFzaGhhc2hoYXNoaGFzaA=='],
  ])('refuses a malformed stored hash (%s) without throwing', async (_name, encoded) => {
    expect(parseHash(encoded)).toBeUndefined();
    await expect(verifySecret('secret', encoded)).resolves.toBe(false);
  });

  it('refuses an over-long input without hashing it', async () => {
    const h = await hashSecret('x'.repeat(2000), DEVICE_SECRET_COST);
    await expect(verifySecret('x'.repeat(2000), h)).resolves.toBe(false);
  });

  it('refuses to hash with invalid parameters', async () => {
    await expect(hashSecret('x', { N: 1000, r: 8, p: 1 })).rejects.toThrow(RangeError);
    await expect(hashSecret('x', { N: 1024, r: 0, p: 1 })).rejects.toThrow(RangeError);
  });
});
