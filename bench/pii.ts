/**
 * PII benchmark (npm run bench:pii [-- --corpus DIR] [--detector FILE] [--written-only]). Prints recall
 * and precision per kind on the labelled set of bench/pii-set.ts:
 *  1. real documents: every readable file of ../shared/corpus-real (or KGTUNE_REAL_CORPUS / --corpus),
 *     extracted and normalized as ingest does, detection per page as ingest does; labels in
 *     bench/data/pii-real-corpus.json;
 *  2. hand-written sentences in real formats with hard negatives (bench/data/pii-written.json) —
 *     figures from this part are on text we wrote.
 * `--detector FILE` scores another module exporting `detectPii(text)` (e.g. an older ingest/pii.ts)
 * for a before/after comparison. Asserts nothing; exits 1 when the real corpus is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { table } from '../cli/progress.js';
import { extractDocument, normalizePages, normalizeText, detectPii as currentDetector, type PiiMatch } from '../ingest/index.js';
import { listCorpusFiles } from './corpus.js';
import { goldSpans, loadRealLabels, loadWrittenSet, score, type Score, type ScoredText } from './pii-set.js';
import { benchEnv } from '../configs/env.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};


const pct = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(3));

function print(title: string, s: Score): void {
  console.log(`\n${title}`);
  console.log(table(['kind', 'gold', 'found', 'recall', 'precision'], s.kinds.map((k) => [k.kind, k.gold, k.found, `${pct(k.recall)} (${k.recalled}/${k.gold})`, `${pct(k.precision)} (${k.correct}/${k.found})`])));
  const all = s.kinds.reduce((a, k) => ({ gold: a.gold + k.gold, found: a.found + k.found, recalled: a.recalled + k.recalled, correct: a.correct + k.correct }), { gold: 0, found: 0, recalled: 0, correct: 0 });
  console.log(`all kinds: recall ${pct(all.recalled / all.gold)} (${all.recalled}/${all.gold}), precision ${pct(all.correct / all.found)} (${all.correct}/${all.found})`);
  for (const m of s.misses) console.log(`  missed   ${m.kind.padEnd(8)} ${JSON.stringify(m.value)}  [${m.source}]`);
  for (const f of s.falsePositives) console.log(`  false +  ${f.kind.padEnd(8)} ${JSON.stringify(f.value)} in ${JSON.stringify(f.context)}  [${f.source}]`);
}

async function main(): Promise<void> {
  const detectorPath = arg('detector');
  const detect: (text: string) => PiiMatch[] = detectorPath
    ? ((await import(pathToFileURL(resolve(detectorPath)).href)) as { detectPii: (t: string) => PiiMatch[] }).detectPii
    : (t) => currentDetector(t);
  console.log(`detector: ${detectorPath ?? 'ingest/pii.ts'}`);

  const scored: ScoredText[] = [];
  if (process.argv.includes('--written-only')) {
    console.log('real documents: skipped (--written-only)');
  } else {
    const corpus = resolve(arg('corpus') ?? benchEnv().KGTUNE_REAL_CORPUS ?? join(repo, '../shared/corpus-real'));
    if (!existsSync(corpus)) {
      console.error(`bench:pii: real corpus not found at ${corpus} (set KGTUNE_REAL_CORPUS or --corpus, or pass --written-only)`);
      process.exit(1);
    }
    const labels = loadRealLabels();
    const files = listCorpusFiles(corpus);
    let readable = 0;
    let chars = 0;
    for (const path of files) {
      const rel = relative(corpus, path).split('\\').join('/');
      const ex = await extractDocument(readFileSync(path), rel);
      if (ex.status !== 'ok') continue;
      readable++;
      const pages = normalizePages(ex.pages).pages;
      const wanted = labels.pii[rel] ?? [];
      const seen = new Set<string>();
      pages.forEach((text, i) => {
        chars += text.length;
        const here = wanted.filter(([, s]) => text.includes(s));
        for (const [, s] of here) seen.add(s);
        scored.push({ source: `${rel} p${i + 1}`, text, gold: goldSpans(text, here, rel), found: detect(text) });
      });
      for (const [kind, s] of wanted) if (!seen.has(s)) throw new Error(`label ${JSON.stringify(s)} (${kind}) not found in ${rel}`);
    }
    for (const rel of Object.keys(labels.pii)) if (!files.some((f) => relative(corpus, f).split('\\').join('/') === rel)) throw new Error(`labelled file missing from the corpus: ${rel}`);
    console.log(`real documents: ${readable} readable of ${files.length} files in ${relative(repo, corpus) || corpus}, ${chars} chars`);
    // throughput of this detector on the same pages (5 passes; compare runs with and without --detector)
    const t0 = performance.now();
    for (let pass = 0; pass < 5; pass++) for (const t of scored) detect(t.text);
    const secs = (performance.now() - t0) / 1000;
    console.log(`detection speed: ${((5 * chars) / secs / 1e6).toFixed(2)} M chars/s (5 passes over the real pages, ${secs.toFixed(2)} s)`);
    print('Real documents (../shared/corpus-real; labels bench/data/pii-real-corpus.json)', score(scored));
  }

  const written = loadWrittenSet();
  const ws: ScoredText[] = written.items.map((it, i) => {
    const text = normalizeText(it.text);
    return { source: it.negative ? `written #${i} (negative: ${it.negative})` : `written #${i}`, text, gold: goldSpans(text, it.pii, `written item ${i}`), found: detect(text) };
  });
  const negatives = written.items.filter((it) => it.negative).length;
  print(`Hand-written sentences in real formats — text we wrote (${written.items.length} items, ${negatives} hard negatives; bench/data/pii-written.json)`, score(ws));
  if (scored.length) print('Both parts together', score([...scored, ...ws]));
}

main().catch((e: unknown) => {
  console.error(`bench:pii: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
