import type { KgtuneEnv } from '../../configs/env.js';
import { addKey, createTenant, ensureApiSchema, listTenants, revokeKey, TenantError } from '../../client/index.js';
import { UsageError } from '../errors.js';
import { withKeyStore } from '../key-store.js';
import { parse } from '../main.js';
import { table } from '../progress.js';

const USAGE = 'usage: kgtune tenants create <name> [--quota-bytes N] | add-key <name> | list | revoke-key <keyId>';

function showKey(tenant: string, keyId: string, key: string): void {
  console.log(`API key for tenant '${tenant}' (id ${keyId}) — shown this once, store it now:\n\n  ${key}\n`);
}

/** Tenants and API keys of the customer API (stored in Neo4j; keys hashed with scrypt). */
export async function tenantsCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !['create', 'add-key', 'list', 'revoke-key'].includes(sub)) throw new UsageError(USAGE);
  const { values, positionals } = parse(rest, { 'quota-bytes': { type: 'string' }, label: { type: 'string' } });
  const quota = values['quota-bytes'] === undefined ? undefined : Number(values['quota-bytes']);
  if (quota !== undefined && !(Number.isSafeInteger(quota) && quota > 0)) throw new UsageError('--quota-bytes must be a positive integer');
  const label = values.label as string | undefined;
  return withKeyStore(env, { ensureSchema: ensureApiSchema, refusal: TenantError }, async (driver) => {
    switch (sub) {
      case 'create': {
        const name = positionals[0];
        if (!name) throw new UsageError('usage: kgtune tenants create <name> [--quota-bytes N]');
        const k = await createTenant(driver, name, { ...(quota ? { quotaBytes: quota } : {}), ...(label ? { label } : {}) });
        console.log(`created tenant '${name}'${quota ? ` (quota ${quota} bytes)` : ''}`);
        showKey(k.tenant, k.keyId, k.key);
        return 0;
      }
      case 'add-key': {
        const name = positionals[0];
        if (!name) throw new UsageError('usage: kgtune tenants add-key <name>');
        const k = await addKey(driver, name, label ? { label } : {});
        showKey(k.tenant, k.keyId, k.key);
        return 0;
      }
      case 'list': {
        const tenants = await listTenants(driver);
        if (tenants.length === 0) {
          console.log('no tenants yet (create one with `kgtune tenants create <name>`)');
          return 0;
        }
        const rows = tenants.flatMap((t) => (t.keys.length ? t.keys : [undefined]).map((k) => [
          t.name, t.quotaBytes === null ? 'default' : String(t.quotaBytes), k?.keyId ?? '-', k?.createdAt?.slice(0, 19) ?? '', k ? (k.revokedAt ? `revoked ${k.revokedAt.slice(0, 19)}` : 'active') : '',
        ]));
        console.log(table(['tenant', 'quota', 'key', 'created', 'state'], rows));
        return 0;
      }
      default: {
        const keyId = positionals[0];
        if (!keyId) throw new UsageError('usage: kgtune tenants revoke-key <keyId>');
        const r = await revokeKey(driver, keyId);
        console.log(`revoked key ${keyId} of tenant '${r.tenant}' (${r.revokedAt})`);
        return 0;
      }
    }
  });
}
