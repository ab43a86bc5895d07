/**
 * What a tenant can see, read from Neo4j (documents and their ingest status, written by ingest/
 * graph; adapters and evaluations, written by registry/) and merged with the upload folders.
 */
import type { Driver } from 'neo4j-driver';
import type { z } from 'zod';
import { num, readTx } from '../client/index.js';
import { CORPUS_DOCUMENTS, CORPUS_EXISTS, LIST_CORPORA, TENANT_ADAPTERS } from '../graph/index.js';
import type { Adapter, Corpus, Document, Gate, MetricPoint } from './schemas.js';
import type { UploadStore } from './upload-store.js';

type CorpusT = z.infer<typeof Corpus>;
type DocumentT = z.infer<typeof Document>;
type AdapterT = z.infer<typeof Adapter>;

export class Catalog {
  constructor(private readonly driver: Driver, private readonly store: UploadStore) {}

  async corpora(tenant: string): Promise<CorpusT[]> {
    const graph = await readTx(this.driver, async (tx) => (await tx.run(LIST_CORPORA, { tenant })).records);
    const byName = new Map<string, CorpusT>();
    for (const c of await this.store.listCorpora(tenant)) byName.set(c.corpus, { ...c, documents: {} });
    for (const r of graph) {
      const name = String(r.get('corpus'));
      const entry = byName.get(name) ?? { corpus: name, files: 0, bytes: 0, documents: {} };
      for (const s of r.get('byStatus') as { status: string | null; n: unknown }[]) {
        if (s.status) entry.documents[s.status] = num(s.n) ?? 0;
      }
      byName.set(name, entry);
    }
    return [...byName.values()].sort((a, b) => a.corpus.localeCompare(b.corpus));
  }

  async corpusExists(tenant: string, corpus: string): Promise<boolean> {
    if (await this.store.corpusOnDisk(tenant, corpus)) return true;
    return readTx(this.driver, async (tx) => (await tx.run(CORPUS_EXISTS, { tenant, corpus })).records[0]?.get('exists') === true);
  }

  /** Uploaded files (status `uploaded` until ingested) merged by SHA-256 with the graph's documents. */
  async documents(tenant: string, corpus: string): Promise<DocumentT[]> {
    const rows = await readTx(this.driver, async (tx) => (await tx.run(CORPUS_DOCUMENTS, { tenant, corpus })).records);
    const docs = new Map<string, DocumentT>();
    for (const f of await this.store.listFiles(tenant, corpus)) {
      docs.set(f.sha256, { sha256: f.sha256, name: f.originalName, mime: f.mime, size: f.size, pages: null, status: 'uploaded', reason: null, duplicateOf: null, uploadedAt: f.uploadedAt || null });
    }
    for (const r of rows) {
      const sha = String(r.get('sha256'));
      const prev = docs.get(sha);
      const status = String(r.get('status') ?? 'uploaded') as DocumentT['status'];
      docs.set(sha, {
        sha256: sha,
        name: prev?.name ?? String(r.get('name') ?? sha),
        mime: (r.get('mime') as string | null) ?? prev?.mime ?? null,
        size: prev?.size ?? null,
        pages: num(r.get('pages')),
        status,
        reason: (r.get('reason') as string | null) ?? null,
        duplicateOf: (r.get('duplicateOf') as string | null) ?? null,
        uploadedAt: prev?.uploadedAt ?? null,
      });
    }
    return [...docs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async adapters(tenant: string): Promise<AdapterT[]> {
    const rows = await readTx(this.driver, async (tx) => (await tx.run(TENANT_ADAPTERS, { tenant })).records);
    return rows.map((r) => ({
      adapterId: String(r.get('adapterId')),
      domain: String(r.get('domain')),
      version: num(r.get('version')) ?? 0,
      sha256: (r.get('sha256') as string | null) ?? null,
      aliases: (r.get('aliases') as string[]) ?? [],
      createdAt: (r.get('createdAt') as string | null) ?? null,
      corpus: (r.get('corpus') as string | null) ?? null,
      passed: (r.get('passed') as boolean | null) ?? null,
      metrics: metricPoints(parseJson(r.get('metrics'))),
      gates: gatePoints(parseJson(r.get('gates'))),
    }));
  }
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Base vs adapter per metric, from whatever the registry stored: an evaluation report (`groups`,
 * the test split's roll-up preferred), a `summary` map `{metric: {base, adapter}}`, or a flat map
 * `{metric: {base, adapter}}`.
 */
export function metricPoints(m: unknown): z.infer<typeof MetricPoint>[] {
  if (!m || typeof m !== 'object') return [];
  const o = m as Record<string, unknown>;
  if (Array.isArray(o.groups)) {
    type G = { split?: string; lang?: string; type?: string; base?: { values?: Record<string, unknown> }; adapter?: { values?: Record<string, unknown> } };
    const groups = o.groups as G[];
    const g = groups.find((x) => x.split === 'test' && x.lang === 'all' && x.type === 'all') ?? groups.find((x) => x.split === 'all' && x.lang === 'all' && x.type === 'all');
    if (!g) return [];
    const names = Object.keys({ ...g.base?.values, ...g.adapter?.values });
    return names.map((metric) => ({ metric, base: numOrNull(g.base?.values?.[metric]), adapter: numOrNull(g.adapter?.values?.[metric]) }));
  }
  const src = (o.summary && typeof o.summary === 'object' ? o.summary : o) as Record<string, unknown>;
  return Object.entries(src)
    .filter(([, v]) => v && typeof v === 'object' && ('base' in v || 'adapter' in v))
    .map(([metric, v]) => ({ metric, base: numOrNull((v as { base?: unknown }).base), adapter: numOrNull((v as { adapter?: unknown }).adapter) }));
}

const COMPARATORS = new Set(['>=', '<=', '==']);

/**
 * Gates as the registry stores them (evaluation/gates.ts GateResult: `verdict` pass|fail and a
 * `comparator`); `passed` is read from `verdict`, so the page shows what the model card shows.
 */
export function gatePoints(g: unknown): z.infer<typeof Gate>[] {
  if (!Array.isArray(g)) return [];
  return g.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object').map((x) => ({
    name: String(x.name ?? ''),
    value: numOrNull(x.value),
    threshold: numOrNull(x.threshold),
    comparator: typeof x.comparator === 'string' && COMPARATORS.has(x.comparator) ? (x.comparator as '>=' | '<=' | '==') : null,
    passed: x.verdict === 'pass' || (x.verdict === undefined && x.passed === true),
    detail: typeof x.detail === 'string' ? x.detail : null,
  }));
}
