import type { KgtuneEnv } from '../../configs/env.js';
import { createOperatorKey, ensureOperatorSchema, listOperatorKeys, OperatorError, revokeOperatorKey } from '../../client/index.js';
import { UsageError } from '../errors.js';
import { withKeyStore } from '../key-store.js';
import { parse } from '../main.js';
import { table } from '../progress.js';

const USAGE = 'usage: kgtune operators create <name> | list | revoke <keyId>';

/**
 * Operator keys of the registry view (http://127.0.0.1:8080/registry): one per person, named after
 * them (recorded as reviewer and actor); stored hashed with scrypt, shown once. Not tenant keys:
 * an operator key cannot upload or start runs, a tenant key cannot open the registry view.
 */
export async function operatorsCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !['create', 'list', 'revoke'].includes(sub)) throw new UsageError(USAGE);
  const { positionals } = parse(rest, {});
  return withKeyStore(env, { ensureSchema: ensureOperatorSchema, refusal: OperatorError }, async (driver) => {
    switch (sub) {
      case 'create': {
        const name = positionals.join(' ');
        if (!name.trim()) throw new UsageError('usage: kgtune operators create <name>   (the name is recorded as the reviewer of approvals)');
        const k = await createOperatorKey(driver, name);
        console.log(`Operator key for '${k.name}' (id ${k.keyId}) — shown this once, store it now:\n\n  ${k.key}\n\nSign in at /registry of \`kgtune api\`.`);
        return 0;
      }
      case 'list': {
        const keys = await listOperatorKeys(driver);
        if (!keys.length) console.log('no operator keys yet (create one with `kgtune operators create <name>`)');
        else console.log(table(['operator', 'key', 'created', 'state'], keys.map((k) => [k.name, k.keyId, k.createdAt.slice(0, 19), k.revokedAt ? `revoked ${k.revokedAt.slice(0, 19)}` : 'active'])));
        return 0;
      }
      default: {
        const keyId = positionals[0];
        if (!keyId) throw new UsageError('usage: kgtune operators revoke <keyId>');
        const r = await revokeOperatorKey(driver, keyId);
        console.log(`revoked operator key ${keyId} of '${r.name}' (${r.revokedAt})`);
        return 0;
      }
    }
  });
}
