import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { WEB, webPage } from './web-page.js';

/** As the customer page's, plus `blob:` images: the card's charts are fetched with the key and shown from blob URLs. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The registry view for MLOps (operator key): page, script, style. Unauthenticated like the customer page; its data is not. */
export function operatorWebRoutes(app: FastifyInstance): void {
  const page = webPage('registry.html', { title: 'Operator key', placeholder: 'kgo_…', label: 'operator key' });
  const script = readFileSync(path.join(WEB, 'registry.mjs'), 'utf8');
  const style = readFileSync(path.join(WEB, 'registry.css'), 'utf8');
  app.get('/registry', async (_req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(page));
  app.get('/registry.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  app.get('/registry.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(style));
}
