import type { Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { ApiConfig, apiConfigFromEnv } from '../../../api/config.js';
import { buildApi, OPERATIONS, openApiDocument } from '../../../api/index.js';

describe('API config', () => {
  it('has documented defaults and takes overrides from the environment, validated', () => {
    const d = ApiConfig.parse({});
    expect(d.uploads.maxFileBytes).toBe(50 * 1024 * 1024);
    expect(d.zip.maxRatio).toBe(100);
    const c = apiConfigFromEnv({ KGTUNE_API_MAX_FILE_BYTES: '1000', KGTUNE_API_RATE_LIMIT: '5', KGTUNE_API_ZIP_MAX_RATIO: '' });
    expect(c.uploads.maxFileBytes).toBe(1000);
    expect(c.rateLimit.max).toBe(5);
    expect(c.zip.maxRatio).toBe(100);
    expect(() => apiConfigFromEnv({ KGTUNE_API_MAX_FILE_BYTES: '-3' })).toThrow();
  });
});

describe('OpenAPI document', () => {
  const doc = openApiDocument(ApiConfig.parse({})) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; parameters: { name: string }[] }>>; components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> } };

  it('is OpenAPI 3.1 with every operation, its path parameters, and error responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const op of OPERATIONS) {
      const o = doc.paths[op.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[op.method];
      expect(o, op.operationId).toBeDefined();
      expect(Object.keys(o!.responses)).toEqual(expect.arrayContaining([String(op.ok.status), '401', '429']));
    }
    expect(doc.paths['/v1/corpora/{corpus}/documents']!.get!.parameters.map((p) => p.name)).toEqual(['corpus']);
    expect(doc.paths['/v1/corpora/{corpus}/uploads']!.post!.requestBody).toMatchObject({ content: { 'multipart/form-data': {} } });
  });

  it('derives its schemas from zod: request bodies as inputs (defaults optional), responses as outputs', () => {
    const s = doc.components.schemas;
    expect(s.StartPipeline!.required).toEqual(['domain']);
    expect(s.Error!.properties).toHaveProperty('error');
    expect(s.UploadResult!.required).toEqual(expect.arrayContaining(['files', 'skipped', 'usage']));
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it('lists exactly the routes the server registers', async () => {
    const app = await buildApi({ driver: {} as Driver, uploads: '/nonexistent' });
    for (const op of OPERATIONS) expect(app.hasRoute({ method: op.method.toUpperCase() as 'GET', url: op.path }), `${op.method} ${op.path}`).toBe(true);
    const PUBLIC = ['/', '/app.js', '/common.js', '/style.css', '/openapi.json', '/healthz', '/registry', '/registry.js', '/registry.css'];
    for (const url of PUBLIC) expect(app.hasRoute({ method: 'GET', url })).toBe(true);
    const methods = app.printRoutes({ commonPrefix: false }).split('\n')
      .flatMap((l) => (/\(([A-Z, ]+)\)\s*$/.exec(l)?.[1] ?? '').split(', ').filter((m) => m && m !== 'HEAD'));
    expect(methods).toHaveLength(OPERATIONS.length + PUBLIC.length);
    await app.close();
  });
});
