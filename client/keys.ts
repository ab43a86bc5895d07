/**
 * API keys: `kgt_<keyId>.<secret>`, where keyId is 8 random bytes (hex) naming the key and the
 * secret is 32 random bytes (base64url). Only `scrypt$N$r$p$salt$hash` of the whole key is
 * stored, with a per-key salt; the key itself is shown once, at creation.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

export const KEY_PREFIX = 'kgt_';
/** Operator keys (the registry view for MLOps): same shape, their own prefix, so neither kind can pass for the other. */
export const OPERATOR_KEY_PREFIX = 'kgo_';
const KEY_RE = /^kgt_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const OPERATOR_KEY_RE = /^kgo_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const HASH_LEN = 32;

export const KdfParams = z.object({
  /** scrypt cost: N=2^14, r=8 takes ~40 ms and 16 MiB per verification (OWASP's minimum is N=2^17 for passwords; keys are 256-bit random). */
  N: z.number().int().min(1024).default(16384),
  r: z.number().int().min(1).default(8),
  p: z.number().int().min(1).default(1),
});
export type KdfParams = z.infer<typeof KdfParams>;

export interface NewKey { keyId: string; key: string }

export function generateKey(prefix: typeof KEY_PREFIX | typeof OPERATOR_KEY_PREFIX = KEY_PREFIX): NewKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, key: `${prefix}${keyId}.${secret}` };
}

/** The key id of a well-formed operator key, else undefined (nothing is verified here). */
export function parseOperatorKey(key: string): { keyId: string } | undefined {
  const m = OPERATOR_KEY_RE.exec(key);
  return m ? { keyId: m[1]! } : undefined;
}

/** The key id of a well-formed key, else undefined (nothing is verified here). */
export function parseKey(key: string): { keyId: string } | undefined {
  const m = KEY_RE.exec(key);
  return m ? { keyId: m[1]! } : undefined;
}

function scryptAsync(key: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(key, salt, HASH_LEN, opts, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

export async function hashKey(key: string, params: KdfParams = KdfParams.parse({})): Promise<string> {
  const salt = randomBytes(16);
  const out = await scryptAsync(key, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), out.toString('base64url')].join('$');
}

/** Constant-time check of a key against a stored hash; the hash carries its own parameters. */
export async function verifyKey(key: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== HASH_LEN) return false;
  const out = await scryptAsync(key, salt, { N, r, p });
  return timingSafeEqual(out, expected);
}
