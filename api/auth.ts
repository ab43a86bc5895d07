/**
 * Authentication: `Authorization: Bearer <key>` (or `X-Api-Key: <key>`) → the caller's tenant.
 * The key's id finds its stored hash; scrypt verifies it. A verified key is remembered in memory
 * (by a SHA-256 of the key — a 256-bit random secret needs no slow hash against brute force,
 * the scrypt hash at rest is for a stolen database) so that each request costs one indexed read,
 * which also sees a revocation at once.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Driver } from 'neo4j-driver';
import { findKey, parseKey, verifyKey } from '../client/index.js';
import { ApiError } from './errors.js';

export interface Caller { tenant: string; keyId: string; quotaBytes: number | null }

declare module 'fastify' {
  interface FastifyRequest { caller?: Caller }
}

/** The raw key of a request, if it sent one. */
export function presentedKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : auth.trim();
  }
  const x = req.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}

/**
 * scrypt verification of keys with a memory of the recently verified ones (by SHA-256, for `cacheMs`); one per kind
 * of key (tenant, operator). A changed stored hash (a re-issued key id) is verified again.
 */
export class VerifiedKeys {
  private readonly verified = new Map<string, { digest: Buffer; hash: string; until: number }>();

  constructor(private readonly cacheMs: number) {}

  /** True when this exact key was verified within `cacheMs`. */
  recent(keyId: string, key: string): boolean {
    const hit = this.verified.get(keyId);
    return !!hit && hit.until > Date.now() && timingSafeEqual(hit.digest, createHash('sha256').update(key).digest());
  }

  /** Whether `key` matches its stored hash: from memory when it was verified recently, else by scrypt (then remembered). */
  async check(keyId: string, key: string, storedHash: string): Promise<boolean> {
    const digest = createHash('sha256').update(key).digest();
    const hit = this.verified.get(keyId);
    if (hit && hit.until > Date.now() && hit.hash === storedHash && timingSafeEqual(hit.digest, digest)) return true;
    if (!(await verifyKey(key, storedHash))) return false;
    if (this.cacheMs > 0) this.verified.set(keyId, { digest, hash: storedHash, until: Date.now() + this.cacheMs });
    return true;
  }
}

/** What tenant and operator authentication share: the driver, the verified-key cache, and how a key's id is parsed. */
export abstract class KeyAuthenticator {
  protected readonly keys: VerifiedKeys;

  constructor(protected readonly driver: Driver, cacheMs: number) {
    this.keys = new VerifiedKeys(cacheMs);
  }

  /** The key's id when `key` has this authenticator's form. */
  protected abstract readonly parse: (key: string) => { keyId: string } | undefined;

  /**
   * The stored key of `keyId` when `key` is its secret (scrypt, or the recent-verification cache) and not revoked;
   * `invalid` and `revoked` are the refusals in this key kind's words.
   */
  protected async verified<S extends { hash: string; revoked: boolean }>(
    key: string, keyId: string, find: (driver: Driver, keyId: string) => Promise<S | undefined>, refusals: { invalid: string; revoked: string },
  ): Promise<S> {
    const stored = await find(this.driver, keyId);
    if (!stored || !(await this.keys.check(keyId, key, stored.hash))) throw new ApiError('invalid_key', refusals.invalid);
    // Checked after the secret, so a revoked key's id alone tells a stranger nothing.
    if (stored.revoked) throw new ApiError('key_revoked', refusals.revoked);
    return stored;
  }

  /** True when this exact key was verified recently (no scrypt needed): lets a customer through while their address is limited for others' failures. */
  recentlyVerified(key: string | undefined): boolean {
    const parsed = key ? this.parse(key) : undefined;
    return !!key && !!parsed && this.keys.recent(parsed.keyId, key);
  }
}

export class Authenticator extends KeyAuthenticator {
  protected readonly parse = (key: string): { keyId: string } | undefined => parseKey(key) ?? undefined;
  async authenticate(key: string | undefined): Promise<Caller> {
    if (!key) throw new ApiError('missing_key', 'send your API key as `Authorization: Bearer <key>`');
    const parsed = parseKey(key);
    if (!parsed) throw new ApiError('invalid_key', 'the API key is not valid');
    const stored = await this.verified(key, parsed.keyId, findKey, { invalid: 'the API key is not valid', revoked: 'this API key has been revoked; ask your administrator for a new one' });
    return { tenant: stored.tenant, keyId: parsed.keyId, quotaBytes: stored.quotaBytes };
  }
}
