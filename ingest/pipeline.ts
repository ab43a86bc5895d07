import { z } from 'zod';
import { CHUNK_DEFAULTS, chunkId, chunkSentences } from './chunk.js';
import { NearDuplicateIndex, type MinHashOptions } from './dedup.js';
import { describeError } from './errors.js';
import { extractDocument } from './extract.js';
import { sha256Hex } from '../configs/hash.js';
import { detectLang } from './lang.js';
import type { ChunkRecord, DiscoveredTerm, DocumentRecord } from './model.js';
import { normalizePages } from './normalize.js';
import { addCounts, PiiConfig, redactPii } from './pii.js';
import { Segmenter, type UserTerm } from './segment.js';
import { splitSentences } from './sentences.js';
import { discoverTerms, type DiscoverOptions } from './term-discovery.js';

/** Options of one file's ingestion (validated: they may come from a workflow input). */
export const IngestOptions = z.object({
  pii: PiiConfig.optional(),
  chunk: z
    .object({
      maxTokens: z.number().int().min(8).default(CHUNK_DEFAULTS.maxTokens),
      overlapSentences: z.number().int().min(0).default(CHUNK_DEFAULTS.overlapSentences),
    })
    .partial()
    .optional(),
  /** Longest sentence kept whole (characters); longer ones are cut. */
  maxSentenceChars: z.number().int().min(50).default(1000),
});
export type IngestOptions = z.input<typeof IngestOptions>;

export interface IngestedFile {
  document: DocumentRecord;
  chunks: ChunkRecord[];
  /** Normalized, redacted text per page: chunk offsets point into these. */
  pages: string[];
}

/**
 * sniff → extract → normalize → redact PII → sentences → chunks, for one file. PII is redacted
 * before any text leaves this function. Never throws for bad input: the document's status and
 * reason say what happened (invalid options do throw, as a typed error).
 */
export async function ingestFile(bytes: Uint8Array, name: string, options: IngestOptions = {}): Promise<IngestedFile> {
  const o = IngestOptions.parse(options);
  const sha256 = sha256Hex(bytes);
  const base = { sha256, name, piiCounts: {}, chars: 0 };
  const ex = await extractDocument(bytes, name);
  if (ex.status !== 'ok') {
    const document: DocumentRecord = {
      ...base,
      mime: ex.mime,
      pages: ex.pages.length,
      status: ex.status,
      reason: ex.reason ?? ex.status,
      ...(ex.warnings?.length ? { warnings: ex.warnings } : {}),
    };
    return { document, chunks: [], pages: [] };
  }
  try {
    const norm = normalizePages(ex.pages);
    const piiCounts: Record<string, number> = {};
    const pages = norm.pages.map((p) => {
      const r = redactPii(p, o.pii);
      addCounts(piiCounts, r.counts);
      return r.text;
    });
    const chars = pages.reduce((n, p) => n + p.length, 0);
    const extra = { ...(ex.encoding ? { encoding: ex.encoding } : {}), ...(ex.warnings?.length ? { warnings: ex.warnings } : {}) };
    if (pages.every((p) => p.trim().length === 0)) {
      return {
        document: { ...base, ...extra, mime: ex.mime, pages: pages.length, status: 'empty', reason: 'no text after extraction and normalization' },
        chunks: [],
        pages,
      };
    }
    const chunks: ChunkRecord[] = [];
    pages.forEach((text, i) => {
      const page = i + 1;
      const sentences = splitSentences(text, { maxSentenceChars: o.maxSentenceChars });
      for (const c of chunkSentences(text, sentences, o.chunk ?? {})) {
        chunks.push({
          id: chunkId(sha256, page, c.start, c.end),
          docSha256: sha256,
          page,
          start: c.start,
          end: c.end,
          text: text.slice(c.start, c.end),
          lang: detectLang(text, c.start, c.end),
          sentences: c.sentences,
        });
      }
    });
    const document: DocumentRecord = { ...base, ...extra, mime: ex.mime, pages: pages.length, status: 'ingested', piiCounts, chars };
    return { document, chunks, pages };
  } catch (e) {
    return {
      document: { ...base, mime: ex.mime, pages: ex.pages.length, status: 'failed', reason: `ingest error: ${describeError(e)}` },
      chunks: [],
      pages: [],
    };
  }
}

export interface LocalFile {
  name: string;
  bytes: Uint8Array;
}

export interface CorpusOptions extends IngestOptions {
  /** Term discovery over the corpus; `false` skips it. */
  discover?: DiscoverOptions | false;
  dedup?: MinHashOptions;
  /** Industry-pack terms loaded into the corpus segmenter before discovery. */
  userTerms?: UserTerm[];
  /** Chunks shorter than this are never marked near-duplicates (headings repeat legitimately). */
  minDedupChunkChars?: number;
}

export interface IngestedCorpus {
  /** One record per distinct content (sha256); near-duplicates have status `duplicate` and no chunks. */
  documents: DocumentRecord[];
  chunks: ChunkRecord[];
  /** The same bytes seen again under another name: nothing new is stored, the name is an alias. */
  aliases: Array<{ name: string; sha256: string }>;
  terms: DiscoveredTerm[];
  /** Stock dictionary + user terms + discovered terms. */
  segmenter: Segmenter;
}

/**
 * Ingests files in order (for tests, the benchmark and local runs; the workflow does the same
 * per activity): exact dedup by sha256, near-duplicate documents and chunks by MinHash/LSH, then
 * term discovery over the ingested text, whose terms are added to the corpus segmenter.
 */
export async function ingestCorpusLocal(files: LocalFile[], options: CorpusOptions = {}): Promise<IngestedCorpus> {
  const { discover, dedup, userTerms, minDedupChunkChars = 40, ...fileOptions } = options;
  const seen = new Map<string, DocumentRecord>();
  const documents: DocumentRecord[] = [];
  const chunks: ChunkRecord[] = [];
  const aliases: Array<{ name: string; sha256: string }> = [];
  const docIndex = new NearDuplicateIndex(dedup);
  const chunkIndex = new NearDuplicateIndex(dedup);
  const texts: string[] = [];
  for (const f of files) {
    const sha = sha256Hex(f.bytes);
    if (seen.has(sha)) {
      aliases.push({ name: f.name, sha256: sha });
      continue;
    }
    const r = await ingestFile(f.bytes, f.name, fileOptions);
    seen.set(sha, r.document);
    documents.push(r.document);
    if (r.document.status !== 'ingested') continue;
    const full = r.pages.join('\n');
    const dupOf = docIndex.check(sha, full);
    if (dupOf) {
      r.document.status = 'duplicate';
      r.document.duplicateOf = dupOf;
      r.document.reason = `near-duplicate of ${seen.get(dupOf)?.name ?? dupOf}`;
      continue;
    }
    for (const c of r.chunks) {
      if (c.text.replace(/\s+/g, '').length >= minDedupChunkChars) {
        const d = chunkIndex.check(c.id, c.text);
        if (d) c.duplicateOf = d;
      }
      chunks.push(c);
    }
    texts.push(...r.pages);
  }
  const segmenter = Segmenter.create(userTerms ?? []);
  let terms: DiscoveredTerm[] = [];
  if (discover !== false) {
    terms = discoverTerms(texts, { ...(discover ?? {}), segmenter });
    segmenter.addTerms(terms.map((t) => ({ term: t.term })));
  }
  return { documents, chunks, aliases, terms, segmenter };
}
