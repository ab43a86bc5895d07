/**
 * The API server as a process of its own. `kgtune api` (cli/commands/api.ts) validates its options and spawns
 * api/serve.mjs by path, so the CLI and the API never import each other. Prints one line when listening and closes
 * on SIGINT/SIGTERM; a failure to start is one line on stderr and exit code 1 (the stack only with KGTUNE_DEBUG).
 */
import { parseArgs } from 'node:util';
import { envValue, loadEnv } from '../configs/env.js';
import { oneLine } from '../configs/pure/errors.js';
import { startApi } from './index.js';

export async function serve(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } }, strict: true });
    const api = await startApi(loadEnv(), { port: Number(values.port), host: values.host });
    console.log(`kgtune API listening on ${api.url}  (web page: ${api.url}/, OpenAPI: ${api.url}/openapi.json)`);
    // A terminal's Ctrl-C reaches this process twice (directly, and passed on by the CLI): the first closes the
    // server; another Ctrl-C while it closes ends the process at once.
    let signals = 0;
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        signals += 1;
        if (signals > 2) process.exit(130);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await api.close();
    return 0;
  } catch (err) {
    console.error(`kgtune: ${oneLine(err)}`);
    if (envValue('KGTUNE_DEBUG')) console.error(err);
    return 1;
  }
}
