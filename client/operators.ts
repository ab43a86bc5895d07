/**
 * Operator keys of the registry view for MLOps: `kgo_<id>.<secret>`, one per person, named after
 * them — the name is the reviewer recorded on approvals and the actor on rollbacks. Stored like
 * tenant keys (scrypt hash only, shown once). An operator key reads every tenant's registry and
 * acts on promotions and aliases; it cannot upload or start pipelines as a tenant (tenant routes
 * answer 403), and a tenant key gets 403 on operator routes.
 */
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { KgtuneError } from '../configs/pure/errors.js';
import {
  CREATE_OPERATOR_KEY, LIST_OPERATOR_KEYS, OPERATOR_KEY_BY_ID, OPERATOR_SCHEMA, OPERATORS_TENANT, REVOKE_OPERATOR_KEY,
} from '../graph/index.js';
import { generateKey, hashKey, OPERATOR_KEY_PREFIX, type KdfParams } from './keys.js';
import { readTx, runSchema, writeTx } from './neo4j.js';

/** Same rule as a promotion's reviewer (workflows/promote.ts ReviewSchema), plus no control characters. */
export const OperatorName = z.string().trim().min(1, 'the operator name is required (it is recorded as the reviewer)').max(200)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(s), 'no control or bidirectional characters');

/** A badly named operator or an unknown key: the same call fails the same way. */
export class OperatorError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
  constructor(readonly type: 'InvalidName' | 'KeyNotFound', message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}

export async function ensureOperatorSchema(driver: Driver): Promise<void> {
  await runSchema(driver, OPERATOR_SCHEMA);
}

export interface CreatedOperatorKey { name: string; keyId: string; key: string }

export async function createOperatorKey(driver: Driver, rawName: string, opts: { kdf?: KdfParams } = {}): Promise<CreatedOperatorKey> {
  const parsed = OperatorName.safeParse(rawName);
  if (!parsed.success) throw new OperatorError('InvalidName', `invalid operator name '${rawName}': ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { keyId, key } = generateKey(OPERATOR_KEY_PREFIX);
  const hash = await hashKey(key, opts.kdf);
  await writeTx(driver, (tx) => tx.run(CREATE_OPERATOR_KEY, { tenant: OPERATORS_TENANT, keyId, name: parsed.data, hash }));
  return { name: parsed.data, keyId, key };
}

export async function revokeOperatorKey(driver: Driver, keyId: string): Promise<{ name: string; revokedAt: string }> {
  const r = await writeTx(driver, async (tx) => (await tx.run(REVOKE_OPERATOR_KEY, { tenant: OPERATORS_TENANT, keyId })).records[0]);
  if (!r) throw new OperatorError('KeyNotFound', `no operator key '${keyId}'`);
  return { name: r.get('name') as string, revokedAt: r.get('revokedAt') as string };
}

export interface OperatorKeyListing { keyId: string; name: string; createdAt: string; revokedAt: string | null }

export async function listOperatorKeys(driver: Driver): Promise<OperatorKeyListing[]> {
  const rows = await readTx(driver, async (tx) => (await tx.run(LIST_OPERATOR_KEYS, { tenant: OPERATORS_TENANT })).records);
  return rows.map((r) => ({ keyId: r.get('keyId') as string, name: r.get('name') as string, createdAt: r.get('createdAt') as string, revokedAt: (r.get('revokedAt') as string | null) ?? null }));
}

export interface StoredOperatorKey { name: string; hash: string; revoked: boolean }

export async function findOperatorKey(driver: Driver, keyId: string): Promise<StoredOperatorKey | undefined> {
  const r = await readTx(driver, async (tx) => (await tx.run(OPERATOR_KEY_BY_ID, { tenant: OPERATORS_TENANT, keyId })).records[0]);
  if (!r) return undefined;
  return { name: r.get('name') as string, hash: r.get('hash') as string, revoked: r.get('revoked') as boolean };
}
