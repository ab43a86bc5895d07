/**
 * Offline extraction on real documents, one document per corpus as a new user would upload it:
 * `npx tsx bench/extract-dev.ts [--out FILE] [--pack manufacturing] [file …]`. Without files it reads
 * the dev split of the real-text set (KGTUNE_REAL_CORPUS, default ../shared/corpus-real). Prints per
 * document counts and, with --out, writes entities and facts (JSON) for reading. When gold files are
 * given (KGTUNE_REAL_GOLD, a folder of <doc id>.jsonl), also prints the reliability table and ECE.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIndustryPack } from '../configs/industry-pack.js';
import { extractOffline } from '../graph/extract/index.js';
import { ingestCorpusLocal } from '../ingest/index.js';
import { benchEnv } from '../configs/env.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(benchEnv().KGTUNE_REAL_CORPUS ?? join(repo, '../shared/corpus-real'));
/** The dev split: tuning reads only these. */
export const DEV_DOCS = [
  'pdf-zh/byd-2025q1-quarterly-report.pdf',
  'html/zh-gmw-news-article.html',
  'html/zh-qq-news-charset-mismatch.html',
  'pdf-en/reliance-annual-report-3p.pdf',
  'html/en-sec-10k-first-page.html',
  'pdf-en/ibm-redbook-db2-rcac-sampled.pdf',
];

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const out = opt('out');
const pack = loadIndustryPack(opt('pack') ?? 'manufacturing');
const files = args.length > 0 ? args : DEV_DOCS;

if (!existsSync(corpus)) {
  console.error(`real-text corpus not found at ${corpus} (set KGTUNE_REAL_CORPUS)`);
  process.exit(1);
}

const dump: Record<string, unknown> = {};
console.log('document                                   chunks  entities  facts  typed  table  attr  related');
for (const f of files) {
  const p = resolve(corpus, f);
  const ing = await ingestCorpusLocal([{ name: basename(p), bytes: new Uint8Array(readFileSync(p)) }]);
  const r = extractOffline({ tenant: 'dev', chunks: ing.chunks, terms: ing.terms.map((t) => t.term), pack });
  const typed = r.facts.filter((x) => x.predicate !== 'RELATED_TO');
  console.log(`${f.padEnd(42)} ${String(ing.chunks.length).padStart(6)} ${String(r.entities.length).padStart(9)} ${String(r.facts.length).padStart(6)} ${String(typed.length).padStart(6)} ${String(r.stats.tableFacts).padStart(6)} ${String(r.stats.attributeFacts).padStart(5)} ${String(r.stats.cooccurrenceFacts).padStart(8)}`);
  dump[f] = {
    entities: r.entities.map((e) => `${e.type}\t${e.name}${e.aliases.length ? `\t(${e.aliases.join(' | ')})` : ''}`),
    facts: typed.map((x) => `${x.confidence.toFixed(2)}\t${x.subject} [${x.subjectType}] ${x.predicate} ${x.object} [${x.objectType}]\t«${x.evidence[0]!.sentence.slice(0, 160)}»`),
  };
}
if (out) writeFileSync(out, JSON.stringify(dump, null, 1));
