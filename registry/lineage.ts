import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { ADAPTERS_FOR_DOCUMENT, FIND_DOCUMENTS, SOURCES_FOR_EXAMPLE } from '../graph/index.js';
import type { Alias } from './model.js';
import { toNum, toNumOrNull, withRead } from './internal/neo4j.js';
import { sha256Hex } from '../configs/hash.js';

export interface AdapterFromDocument {
  adapterId: string;
  domain: string;
  version: number;
  aliases: Alias[];
  runId: string;
  datasetId: string;
  snapshotId: string;
  /** Facts of the adapter's snapshot with evidence in this document. */
  facts: number;
  /** Pages of the document those facts come from. */
  pages: number[];
}

/**
 * "Which adapters learned from document D?" — every adapter whose training data came from a
 * snapshot containing a fact with evidence in D (for withdrawal and audits).
 */
export async function adaptersForDocument(driver: Driver, tenant: string, docSha256: string): Promise<AdapterFromDocument[]> {
  const res = await withRead(driver, (tx) => tx.run(ADAPTERS_FOR_DOCUMENT, { tenant, docSha256 }));
  return res.records.map((r) => ({
    adapterId: r.get('adapterId') as string,
    domain: r.get('domain') as string,
    version: toNum(r.get('version')),
    aliases: r.get('aliases') as Alias[],
    runId: r.get('runId') as string,
    datasetId: r.get('datasetId') as string,
    snapshotId: r.get('snapshotId') as string,
    facts: toNum(r.get('facts')),
    pages: (r.get('pages') as unknown[]).map(toNumOrNull).filter((p): p is number => p !== null).sort((a, b) => a - b),
  }));
}

export interface DocumentRef { sha256: string; name: string }

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The tenant's documents a user means by `ref`: a sha256, a name the document was uploaded under
 * (or its tail after a `/`), or the path of a file on this machine (matched by the sha256 of its
 * bytes, then by its file name). Empty when nothing matches.
 */
export async function resolveDocuments(driver: Driver, tenant: string, ref: string): Promise<DocumentRef[]> {
  const find = async (r: string): Promise<DocumentRef[]> => {
    const res = await withRead(driver, (tx) => tx.run(FIND_DOCUMENTS, { tenant, ref: r }));
    return res.records.map((x) => ({ sha256: x.get('sha256') as string, name: (x.get('name') as string | null) ?? (x.get('sha256') as string) }));
  };
  const candidates: string[] = [];
  const lower = ref.toLowerCase();
  if (SHA256.test(lower)) candidates.push(lower);
  const isFile = await stat(ref).then((s) => s.isFile(), () => false);
  if (isFile) candidates.push(sha256Hex(await readFile(ref)));
  candidates.push(ref.replace(/\\/g, '/'));
  if (path.basename(ref) !== ref) candidates.push(path.basename(ref));
  for (const c of candidates) {
    const found = await find(c);
    if (found.length) return found;
  }
  return [];
}

export interface ExampleSource {
  docSha256: string;
  name: string | null;
  pages: number[];
  chunkIds: string[];
  factIds: string[];
  /** Evidence sentences, cut from the chunk text by the offsets the EVIDENCE relationship stores. */
  sentences: string[];
}

/** "Which documents and pages back this example?" — from its fact ids (via evidence) and chunk ids. */
export async function sourcesForExample(driver: Driver, tenant: string, ids: { factIds?: readonly string[]; chunkIds?: readonly string[] }): Promise<ExampleSource[]> {
  const res = await withRead(driver, (tx) => tx.run(SOURCES_FOR_EXAMPLE, { tenant, factIds: [...(ids.factIds ?? [])], chunkIds: [...(ids.chunkIds ?? [])] }));
  const byDoc = new Map<string, { name: string | null; pages: Set<number>; chunks: Set<string>; facts: Set<string>; sentences: Set<string> }>();
  for (const r of res.records) {
    const sha = r.get('docSha256') as string;
    const d = byDoc.get(sha) ?? { name: (r.get('name') as string | null) ?? null, pages: new Set(), chunks: new Set(), facts: new Set(), sentences: new Set() };
    const page = toNumOrNull(r.get('page'));
    if (page !== null) d.pages.add(page);
    d.chunks.add(r.get('chunkId') as string);
    const f = r.get('factId') as string | null;
    if (f !== null) d.facts.add(f);
    const start = toNumOrNull(r.get('sentenceStart'));
    const end = toNumOrNull(r.get('sentenceEnd'));
    const text = r.get('text') as string | null;
    if (start !== null && end !== null && typeof text === 'string' && end > start) d.sentences.add(text.slice(start, end).trim());
    byDoc.set(sha, d);
  }
  return [...byDoc.entries()]
    .map(([docSha256, d]) => ({
      docSha256,
      name: d.name,
      pages: [...d.pages].sort((a, b) => a - b),
      chunkIds: [...d.chunks].sort(),
      factIds: [...d.facts].sort(),
      sentences: [...d.sentences],
    }))
    .sort((a, b) => a.docSha256.localeCompare(b.docSha256));
}
