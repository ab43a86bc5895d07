import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openapi.js';
import type { RouteContext } from './context.js';
import { WEB, webPage } from './web-page.js';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Unauthenticated routes: the web page and its assets (with the script it shares with the registry view), the OpenAPI document, a liveness probe. */
export function publicRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const page = webPage('index.html', { title: 'API key', placeholder: 'kgt_…', label: 'API key' });
  const script = readFileSync(path.join(WEB, 'app.mjs'), 'utf8');
  const common = readFileSync(path.join(WEB, 'common.mjs'), 'utf8');
  const style = readFileSync(path.join(WEB, 'style.css'), 'utf8');
  const doc = openApiDocument(ctx.config);
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(page));
  app.get('/app.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  // DOM helpers and the API call of both pages (the customer page's and the registry view's)
  app.get('/common.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(common));
  app.get('/style.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(style));
  app.get('/openapi.json', async () => doc);
  app.get('/healthz', async () => ({ ok: true }));
}
