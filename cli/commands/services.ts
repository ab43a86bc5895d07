import type { KgtuneEnv } from '../../configs/env.js';
import { formatStack, servicesDown, servicesStatus, servicesUp } from '../../services/index.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';

/** `kgtune services up|down|status [--quiet]`. `status` exits 0 only when both servers answer. */
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
    case 'status': {
      const s = await servicesStatus(env);
      for (const line of formatStack(s, env)) log(line);
      return s.healthy ? 0 : 3;
    }
    default:
      throw new UsageError('usage: kgtune services up|down|status');
  }
}
