import type { KgtuneEnv } from '../../configs/env.js';
import { assertNeo4jReachable, ensureGraphSchema, formatStack, servicesDown, servicesStatus, servicesUp } from '../../services/index.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';

/**
 * `kgtune services up|down|status|migrate [--quiet]`. `status` exits 0 only when both servers answer; `migrate`
 * creates the graph schema on the running Neo4j, merging duplicates an older kgtune left (`up` does the same).
 */
export async function servicesCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values, positionals } = parse(args, { quiet: { type: 'boolean' } });
  const log = values.quiet ? () => {} : (m: string) => console.log(m);
  switch (positionals[0]) {
    case 'up':
      await servicesUp(env, log);
      return 0;
    case 'down':
      await servicesDown(env, log);
      return 0;
    case 'migrate': {
      await assertNeo4jReachable(env);
      const r = await ensureGraphSchema(env, log);
      log(`graph schema ready: ${r.statements} constraints and indexes, ${r.created.length} created now, ${r.repaired.length} duplicate groups merged`);
      return 0;
    }
    case 'status': {
      const s = await servicesStatus(env);
      for (const line of formatStack(s, env)) log(line);
      return s.healthy ? 0 : 3;
    }
    default:
      throw new UsageError('usage: kgtune services up|down|status|migrate');
  }
}
