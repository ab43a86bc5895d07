/** Shared by the API's integration and browser tests: multipart bodies and test-tenant cleanup. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Client, Connection } from '@temporalio/client';
import type { Driver } from 'neo4j-driver';
import { connectNeo4j, connectTemporal, createOperatorKey, createTenant, ensureApiSchema, ensureOperatorSchema, type CreatedKey, type CreatedOperatorKey } from '../../../client/index.js';
import { type KgtuneEnv, loadEnv } from '../../../configs/env.js';

export interface Part { name: string; data: Buffer | string; field?: string; type?: string }

/** A multipart/form-data body; `truncateAt` cuts it there (an interrupted upload). */
export function multipart(parts: Part[], truncateAt?: number): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kgtune${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.field ?? 'file'}"; filename="${p.name}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  let payload = Buffer.concat(chunks);
  if (truncateAt !== undefined) payload = payload.subarray(0, truncateAt);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Deletes every node of the given tenants (Tenant and ApiKey nodes included). */
export async function deleteTenants(driver: Driver, tenants: string[]): Promise<void> {
  const session = driver.session();
  try {
    await session.executeWrite((tx) => tx.run('UNWIND $tenants AS t MATCH (n {tenant: t}) DETACH DELETE n', { tenants }));
  } finally {
    await session.close();
  }
}

export function testTenant(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** scrypt cost for test keys: fast, still the real key derivation. */
export const FAST_KDF = { N: 1024, r: 8, p: 1 };

/**
 * The API's stores for an integration or browser test: Neo4j and Temporal of the test env, the API schema in place.
 * `chromium`: a browser test names the binary it drives, and fails first, in one line, when it is missing.
 */
export async function apiStores(o: { chromium?: string } = {}): Promise<{ env: KgtuneEnv; driver: Driver; temporal: { client: Client; connection: Connection } }> {
  if (o.chromium && !existsSync(o.chromium)) throw new Error(`${o.chromium} is missing: install Debian's chromium (apt-get install -y chromium)`);
  const env = loadEnv();
  const driver = await connectNeo4j(env);
  const temporal = await connectTemporal(env);
  await ensureApiSchema(driver);
  return { env, driver, temporal };
}

/** Tenants `a` and `b` (the key of `a` returned) and an operator named `operator`, for the registry view's tests. */
export async function registryPeople(driver: Driver, a: string, b: string, operator: string): Promise<{ keyA: CreatedKey; op: CreatedOperatorKey }> {
  await ensureOperatorSchema(driver);
  const keyA = await createTenant(driver, a, { kdf: FAST_KDF });
  await createTenant(driver, b, { kdf: FAST_KDF });
  return { keyA, op: await createOperatorKey(driver, operator, { kdf: FAST_KDF }) };
}
