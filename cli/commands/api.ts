import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KgtuneEnv } from '../../configs/env.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';

/** The API server's entry, run as a process of its own: the CLI and the API never import each other. */
const SERVER_ENTRY = fileURLToPath(new URL('../../api/serve.mjs', import.meta.url));

/** Serves the customer API and web page until interrupted (the server prints its address and any error). */
export async function apiCommand(args: string[], _env: KgtuneEnv): Promise<number> {
  const { values } = parse(args, { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } }, false);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (got '${String(values.port)}')`);
  const server = spawn(process.execPath, [SERVER_ENTRY, '--port', String(port), '--host', values.host as string], { stdio: 'inherit' });
  const pass = (signal: NodeJS.Signals): void => { server.kill(signal); };
  process.on('SIGINT', pass);
  process.on('SIGTERM', pass);
  try {
    return await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', pass);
    process.off('SIGTERM', pass);
  }
}
