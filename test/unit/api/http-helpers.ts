/** Shared by the API's integration and browser tests: multipart bodies and test-tenant cleanup. */
import { randomBytes } from 'node:crypto';
import type { Driver } from 'neo4j-driver';

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
