/**
 * Reliability table and ECE of the offline extractor's confidences on the real-text dev split:
 * `npx tsx bench/extract-calibration.ts [--split dev] [--bins 5]`. Each typed fact is judged alone
 * against the gold with the real-text scorer (bench/real-text, loaded at run time; REAL_TEXT_MODULES
 * points elsewhere), then binned by confidence (graph/extract/calibration.ts).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadIndustryPack } from '../configs/industry-pack.js';
import { formatReliability, reliability, type Judged, extractOffline } from '../graph/extract/index.js';
import type { ChunkRecord } from '../ingest/index.js';
import { discoverTerms, Segmenter } from '../ingest/index.js';
import { benchEnv } from '../configs/env.js';

interface SplitDoc { id: string; split: string; pages?: number[] }
interface Counts { tp: number }
interface RealText {
  loadSplit(): SplitDoc[];
  realCorpusDir(): string;
  ingestRealDoc(doc: SplitDoc, dir: string): Promise<{ document: { sha256: string }; chunks: ChunkRecord[]; pages: string[] }>;
  loadGold(id: string): unknown;
  scoreDoc(gold: unknown, entities: unknown[], facts: unknown[], labelsOf: (p: string) => string[], text?: string): { relations: Record<string, Counts>; attributes: Counts };
}

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};

async function load(): Promise<RealText> {
  const dir = path.resolve(import.meta.dirname, benchEnv().REAL_TEXT_MODULES);
  const mod = async (f: string) => import(pathToFileURL(path.join(dir, f)).href) as Promise<Record<string, unknown>>;
  try {
    return { ...(await mod('corpus.ts')), ...(await mod('gold.ts')), ...(await mod('match.ts')) } as unknown as RealText;
  } catch (e) {
    throw new Error(`the real-text scorer is not in ${dir} (${(e as Error).message.split('\n')[0]})`);
  }
}

async function main(): Promise<void> {
  const rt = await load();
  const split = arg('split', 'dev');
  const pack = loadIndustryPack(arg('pack', 'manufacturing'));
  const docs = rt.loadSplit().filter((d) => d.split === split);
  const chunks: ChunkRecord[] = [];
  const texts: string[] = [];
  const docBySha = new Map<string, SplitDoc>();
  for (const doc of docs) {
    const r = await rt.ingestRealDoc(doc, rt.realCorpusDir());
    docBySha.set(r.document.sha256, doc);
    chunks.push(...r.chunks);
    texts.push(...r.pages);
  }
  const userTerms = pack.entityTypes.flatMap((e) => e.dictionary).map((term) => ({ term }));
  const terms = discoverTerms(texts, { segmenter: Segmenter.create(userTerms) }).map((t) => t.term);
  const result = extractOffline({ tenant: 'calibration', chunks, terms, pack });
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  const judged: Judged[] = [];
  for (const doc of docs) {
    const gold = rt.loadGold(doc.id);
    const here = (id: string) => { const c = chunkById.get(id); return !!c && docBySha.get(c.docSha256) === doc && (!doc.pages || doc.pages.includes(c.page)); };
    const ents = result.entities.filter((e) => (e.mentions ?? []).some(here)).map((e) => ({ name: e.name, type: e.type, aliases: e.aliases }));
    for (const f of result.facts.filter((x) => x.predicate !== 'RELATED_TO' && x.evidence.some((e) => here(e.chunkId)))) {
      const s = rt.scoreDoc(gold, ents, [{ subject: f.subject, predicate: f.predicate, object: f.object, literal: !f.objectId, objectType: f.objectType }], () => []);
      const tp = s.attributes.tp + Object.values(s.relations).reduce((n, c) => n + c.tp, 0);
      judged.push({ confidence: f.confidence, correct: tp > 0 });
    }
  }
  console.log(`Confidence calibration — ${split} split (${docs.length} documents), offline extractor, each fact judged alone against the gold`);
  console.log(formatReliability(reliability(judged, Number(arg('bins', '5'))), judged.length));
}

main().catch((e: unknown) => {
  console.error(`calibration bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
