import type { KgtuneEnv } from '../../configs/env.js';
import { startApi } from '../../api/index.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';

/** Serves the customer API and web page until interrupted. */
export async function apiCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values } = parse(args, { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } }, false);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (got '${String(values.port)}')`);
  const api = await startApi(env, { port, host: values.host as string });
  console.log(`kgtune API listening on ${api.url}  (web page: ${api.url}/, OpenAPI: ${api.url}/openapi.json)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await api.close();
  return 0;
}
