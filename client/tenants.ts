/**
 * Tenants and their API keys, stored in Neo4j as (:ApiKey {tenant, id, hash})-[:OF_TENANT]->(:Tenant {tenant, name}).
 * Creating a tenant or a key returns the key once; afterwards only its scrypt hash exists.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { z } from 'zod';
import { KgtuneError } from '../configs/pure/errors.js';
import {
  API_KEY_BY_ID, API_SCHEMA, CREATE_API_KEY, CREATE_TENANT, LIST_TENANTS, REVOKE_API_KEY, TENANT_EXISTS,
} from '../graph/index.js';
import { generateKey, hashKey, type KdfParams } from './keys.js';
import { num, readTx, runSchema, writeTx } from './neo4j.js';

/** Same shape as pipeline ids: the tenant name is also a folder name and part of workflow ids. */
export const TenantName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, 1–63 chars, starting with a letter or digit');

/** A tenant or key that is not there, already there, or badly named: the same call fails the same way. */
export class TenantError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
  constructor(readonly type: 'TenantExists' | 'TenantNotFound' | 'KeyNotFound' | 'InvalidName', message: string) {
    super(message);
    this.name = 'TenantError';
  }
}

export async function ensureApiSchema(driver: Driver): Promise<void> {
  await runSchema(driver, API_SCHEMA);
}

export interface CreatedKey { tenant: string; keyId: string; key: string }

export async function createTenant(driver: Driver, name: string, opts: { quotaBytes?: number; kdf?: KdfParams; label?: string } = {}): Promise<CreatedKey> {
  const parsed = TenantName.safeParse(name);
  if (!parsed.success) throw new TenantError('InvalidName', `invalid tenant name '${name}': ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const created = await writeTx(driver, async (tx) => {
    const r = await tx.run(CREATE_TENANT, { tenant: name, quotaBytes: opts.quotaBytes === undefined ? null : neo4j.int(opts.quotaBytes) });
    return r.records.length === 1;
  });
  if (!created) throw new TenantError('TenantExists', `tenant '${name}' already exists (add a key with \`kgtune tenants add-key ${name}\`)`);
  return addKey(driver, name, opts);
}

export async function addKey(driver: Driver, tenant: string, opts: { kdf?: KdfParams; label?: string } = {}): Promise<CreatedKey> {
  const { keyId, key } = generateKey();
  const hash = await hashKey(key, opts.kdf);
  const ok = await writeTx(driver, async (tx) => (await tx.run(CREATE_API_KEY, { tenant, keyId, hash, label: opts.label ?? '' })).records.length === 1);
  if (!ok) throw new TenantError('TenantNotFound', `no tenant '${tenant}'`);
  return { tenant, keyId, key };
}

export async function revokeKey(driver: Driver, keyId: string): Promise<{ tenant: string; revokedAt: string }> {
  const r = await writeTx(driver, async (tx) => (await tx.run(REVOKE_API_KEY, { keyId })).records[0]);
  if (!r) throw new TenantError('KeyNotFound', `no API key '${keyId}'`);
  return { tenant: r.get('tenant') as string, revokedAt: r.get('revokedAt') as string };
}

export interface TenantListing {
  name: string;
  quotaBytes: number | null;
  createdAt: string;
  keys: { keyId: string; label: string; createdAt: string; revokedAt: string | null }[];
}

export async function listTenants(driver: Driver): Promise<TenantListing[]> {
  const rows = await readTx(driver, async (tx) => (await tx.run(LIST_TENANTS)).records);
  return rows.map((r) => ({
    name: r.get('name') as string,
    quotaBytes: num(r.get('quotaBytes')),
    createdAt: r.get('createdAt') as string,
    keys: (r.get('keys') as TenantListing['keys']).filter((k) => k.keyId),
  }));
}

export interface StoredKey { tenant: string; hash: string; revoked: boolean; quotaBytes: number | null }

export async function findKey(driver: Driver, keyId: string): Promise<StoredKey | undefined> {
  const r = await readTx(driver, async (tx) => (await tx.run(API_KEY_BY_ID, { keyId })).records[0]);
  if (!r) return undefined;
  return { tenant: r.get('tenant') as string, hash: r.get('hash') as string, revoked: r.get('revoked') as boolean, quotaBytes: num(r.get('quotaBytes')) };
}

export async function tenantQuota(driver: Driver, tenant: string): Promise<{ exists: boolean; quotaBytes: number | null }> {
  const r = await readTx(driver, async (tx) => (await tx.run(TENANT_EXISTS, { tenant })).records[0]);
  return { exists: !!r, quotaBytes: r ? num(r.get('quotaBytes')) : null };
}
