import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, parseKey, verifyKey } from '../../../client/index.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('API keys', () => {
  it('are kgt_<16 hex id>.<32 random bytes base64url>, all different', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a.key).toMatch(/^kgt_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.key.split('.')[1]!, 'base64url')).toHaveLength(32);
    expect(a.key).not.toBe(b.key);
    expect(parseKey(a.key)).toEqual({ keyId: a.keyId });
    expect(parseKey('kgt_short.x')).toBeUndefined();
    expect(parseKey(`${a.key}x`)).toBeUndefined();
  });

  it('are stored as salted scrypt hashes that verify only the right key', async () => {
    const { key } = generateKey();
    const h1 = await hashKey(key, FAST);
    const h2 = await hashKey(key, FAST);
    expect(h1).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(h1).not.toBe(h2); // per-key salt
    expect(h1).not.toContain(key.split('.')[1]!);
    expect(await verifyKey(key, h1)).toBe(true);
    expect(await verifyKey(key, h2)).toBe(true);
    expect(await verifyKey(generateKey().key, h1)).toBe(false);
    // The last base64url character of 32 bytes is one of 16 (A, E, I, …): flip it to one that differs.
    const last = key.slice(-1) === 'A' ? 'E' : 'A';
    expect(await verifyKey(`${key.slice(0, -1)}${last}`, h1)).toBe(false);
  });

  it('refuses malformed or tampered hashes instead of throwing', async () => {
    const { key } = generateKey();
    const h = await hashKey(key, FAST);
    expect(await verifyKey(key, 'plain-text')).toBe(false);
    expect(await verifyKey(key, h.replace('scrypt$1024', 'scrypt$abc'))).toBe(false);
    const tail = h.slice(-4) === 'AAAA' ? 'EEEE' : 'AAAA';
    expect(await verifyKey(key, `${h.slice(0, -4)}${tail}`)).toBe(false);
  });

  it('uses the default cost (N=2^14) when none is given, and the hash carries it', async () => {
    const { key } = generateKey();
    const h = await hashKey(key);
    expect(h.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyKey(key, h)).toBe(true);
  });
});
