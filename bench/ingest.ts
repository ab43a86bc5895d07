/**
 * Ingest benchmark (npm run bench:ingest [-- --corpus DIR|real --mb 5]). Prints tables; asserts nothing.
 * Reads examples/sample-corpus unless KGTUNE_REAL_CORPUS names a folder of real documents (bench/corpus.ts).
 *  1. text path: normalize + PII + sentences + chunk, and jieba segmentation, over ≥ 5 MB of mixed
 *     zh/en text built at run time from the corpus files (repeated with variations), side by side
 *     with Debian's python3-jieba on the same lines;
 *  2. PDF pages/s: pdf-parse (via extractDocument, on one worker thread and on the pool ingestion uses)
 *     vs `pdftotext` on the same PDFs, in the same loop;
 *  3. a per-document report of ingesting every file of the corpus.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chunkSentences,
  detectLang,
  extractDocument,
  ingestCorpusLocal,
  ingestFile,
  normalizePages,
  PdfPool,
  redactPii,
  sharedPdfPool,
  sharedSegmenter,
  splitSentences,
} from '../ingest/index.js';
import { BenchInputError, benchCorpusDir, listCorpusFiles } from './corpus.js';
import { processEnv } from '../configs/env.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : dflt;
};
const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
let input: { dir: string; source: string };
try {
  input = benchCorpusDir({ arg: argOf('corpus'), env: processEnv(), repo });
} catch (e) {
  if (!(e instanceof BenchInputError)) throw e;
  console.error(`bench:ingest: ${e.message}`);
  process.exit(1);
}
const corpusDir = input.dir;
const targetBytes = Number(arg('mb', '5')) * 1024 * 1024;
const PY = '/usr/bin/python3';


function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const w = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(w[i] as number)).join(' | ')} |`;
  return [line(headers), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map((r) => line(r.map(String)))].join('\n');
}

const fmt = (n: number, d = 2): string => (n >= 1e6 ? `${(n / 1e6).toFixed(d)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(d)} k` : n.toFixed(d));
const now = (): number => performance.now();

async function main(): Promise<void> {
  const files = listCorpusFiles(corpusDir);
  console.log(`corpus: ${relative(repo, corpusDir) || corpusDir} (${files.length} files; ${input.source})\n`);

  // ---------- source text: raw extracted pages of every readable file ----------
  const zhSources: string[] = [];
  const enSources: string[] = [];
  for (const f of files) {
    const ex = await extractDocument(new Uint8Array(readFileSync(f)), f);
    if (ex.status !== 'ok') continue;
    for (const p of ex.pages.filter((x) => x.trim().length > 200)) (detectLang(p) === 'en' ? enSources : zhSources).push(p);
  }
  // interleave Chinese and English pages keeping their character counts equal, so the text is really mixed
  const sources: string[] = [];
  let zhChars = 0;
  let enChars = 0;
  for (let zi = 0, ei = 0; zi < zhSources.length * 2 || ei < enSources.length; ) {
    const p = zhChars <= enChars ? (zhSources[zi++ % zhSources.length] as string) : (enSources[ei++ % enSources.length] as string);
    if (zhChars <= enChars) zhChars += p.length;
    else enChars += p.length;
    sources.push(p);
  }
  // repeat with variations until ≥ target bytes: rotate pages, vary numbers, sprinkle contact lines
  const pages: string[] = [];
  let bytes = 0;
  for (let round = 0; bytes < targetBytes; round++) {
    for (let i = 0; i < sources.length && bytes < targetBytes; i++) {
      const src = sources[(i + round * 7) % sources.length] as string;
      const varied = src.replace(/\d/g, (d) => String((Number(d) + round) % 10)) + (i % 5 === 0 ? `\n联系人电话 1381234${String(5600 + (i % 100)).padStart(4, '0')}，邮箱 user${i}@example.com。Call 415-555-0${String(100 + (i % 900)).slice(-3)}.` : '');
      pages.push(varied);
      bytes += Buffer.byteLength(varied);
    }
  }
  const chars = pages.reduce((n, p) => n + p.length, 0);
  let han = 0;
  for (const p of pages) for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) >= 0x4e00 && p.charCodeAt(i) <= 0x9fff) han++;
  console.log(`text: ${pages.length} pages, ${(bytes / 1048576).toFixed(2)} MB UTF-8, ${fmt(chars)} chars (${((han / chars) * 100).toFixed(0)}% Han)\n`);

  // ---------- node text path ----------
  const seg = sharedSegmenter();
  seg.cut('预热'); // load
  let t = now();
  const norm = normalizePages(pages).pages;
  const tNorm = now() - t;
  t = now();
  const red = norm.map((p) => redactPii(p).text);
  const tPii = now() - t;
  t = now();
  let nChunks = 0;
  for (const p of red) nChunks += chunkSentences(p, splitSentences(p)).length;
  const tChunk = now() - t;
  const lines = red.flatMap((p) => p.split('\n')).filter((l) => l.length > 0);
  t = now();
  let nWords = 0;
  for (const l of lines) nWords += seg.cut(l, true).length;
  const tSeg = now() - t;
  t = now();
  let nTagged = 0;
  for (const l of lines) nTagged += seg.tag(l, true).length;
  const tTag = now() - t;
  const normChars = red.reduce((n, p) => n + p.length, 0);
  const tAll = tNorm + tPii + tChunk + tSeg;

  // ---------- python3-jieba on the same lines ----------
  let py: { load: number; cut: number; words: number } | undefined;
  let pyNote = '';
  const probe = spawnSync(PY, ['-c', 'import jieba'], { encoding: 'utf8' });
  if (probe.status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'kgtune-bench-'));
    try {
      const file = join(dir, 'lines.txt');
      writeFileSync(file, lines.join('\n'));
      const script = [
        'import sys, time, json, logging, jieba',
        'jieba.setLogLevel(logging.WARNING)',
        't=time.perf_counter(); jieba.initialize(); load=time.perf_counter()-t',
        'lines=open(sys.argv[1],encoding="utf-8").read().split("\\n")',
        't=time.perf_counter(); n=0',
        'for l in lines: n+=sum(1 for _ in jieba.cut(l, HMM=True))',
        'print(json.dumps({"load":load,"cut":time.perf_counter()-t,"words":n}))',
      ].join('\n');
      const res = spawnSync(PY, ['-c', script, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (res.status === 0) py = JSON.parse(res.stdout.trim().split('\n').pop() as string);
      else pyNote = `python3-jieba failed: ${res.stderr.slice(0, 200)}`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else pyNote = 'python3-jieba not installed (apt-get install -y python3-jieba): column skipped';

  const rate = (c: number, ms: number): string => `${fmt((c / ms) * 1000)} chars/s`;
  const rows: Array<Array<string | number>> = [
    ['normalize', rate(chars, tNorm), '', ''],
    ['PII redaction', rate(normChars, tPii), '', ''],
    ['sentences + chunk', rate(normChars, tChunk), `${nChunks} chunks`, ''],
    ['segment (jieba cut, HMM)', rate(normChars, tSeg), py ? rate(normChars, py.cut * 1000) : 'n/a', py ? `${((py.cut * 1000) / tSeg).toFixed(1)}×` : ''],
    ['POS tag (jieba tag, HMM)', rate(normChars, tTag), `${nTagged} tagged words`, ''],
    ['whole text path (norm+PII+chunk+seg)', `${rate(chars, tAll)} = ${((bytes / 1048576) / (tAll / 1000)).toFixed(2)} MB/s`, '', ''],
  ];
  console.log('## Text path');
  console.log(table(['stage', 'kgtune (node)', 'python3-jieba', 'node / python'], rows));
  console.log(`words: node ${nWords}${py ? `, python ${py.words}` : ''}; python jieba load ${py ? py.load.toFixed(2) + ' s' : 'n/a'}${pyNote ? `\n${pyNote}` : ''}\n`);

  // ---------- PDF pages/s ----------
  // The same PDFs, one after another, each read three ways in the same loop: pdf-parse on one worker
  // thread, pdf-parse on the shared pool (what ingestion uses: pages split over idle threads), and
  // `pdftotext` (one process per file, single-threaded, startup included). Bad PDFs are left out.
  const pdfs = files.filter((f) => f.endsWith('.pdf'));
  const haveP2T = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error === undefined;
  const single = new PdfPool({ threads: 1 });
  const pool = sharedPdfPool();
  const pdfRows: Array<Array<string | number>> = [];
  const sum = { pages: 0, one: 0, pool: 0, p2tPages: 0, p2t: 0 };
  const loadBefore = loadavg()[0] ?? 0;
  const pps = (n: number, ms: number): string => ((n / ms) * 1000).toFixed(1);
  for (const f of pdfs.slice(0, 2)) {
    // warm-up: load pdf.js in every thread
    await extractDocument(new Uint8Array(readFileSync(f)), 'warmup.pdf', { pdfPool: single });
    await Promise.all(Array.from({ length: pool.threads }, () => extractDocument(new Uint8Array(readFileSync(f)), 'warmup.pdf')));
  }
  for (const f of pdfs) {
    const data = new Uint8Array(readFileSync(f));
    t = now();
    const one = await extractDocument(data, f, { pdfPool: single });
    const msOne = now() - t;
    t = now();
    const ex = await extractDocument(data, f);
    const msPool = now() - t;
    if (ex.status !== 'ok' && ex.status !== 'needs_ocr') continue;
    if (one.pages.join('\f') !== ex.pages.join('\f')) throw new Error(`${f}: pool and single-thread texts differ`);
    const n = ex.pages.length;
    let p2t = NaN;
    if (haveP2T) {
      t = now();
      const r = spawnSync('pdftotext', ['-q', '-enc', 'UTF-8', f, '-'], { maxBuffer: 64 << 20 });
      p2t = now() - t;
      if (r.status !== 0) p2t = NaN;
    }
    sum.pages += n;
    sum.one += msOne;
    sum.pool += msPool;
    if (!Number.isNaN(p2t)) {
      sum.p2tPages += n;
      sum.p2t += p2t;
    }
    pdfRows.push([relative(corpusDir, f), n, pps(n, msOne), pps(n, msPool), Number.isNaN(p2t) ? 'n/a' : pps(n, p2t), Number.isNaN(p2t) ? '' : (p2t / msPool).toFixed(2)]);
  }
  const ratio = sum.p2tPages ? (sum.pages / sum.pool / (sum.p2tPages / sum.p2t)).toFixed(2) : '';
  pdfRows.push(['TOTAL', sum.pages, pps(sum.pages, sum.one), pps(sum.pages, sum.pool), sum.p2tPages ? pps(sum.p2tPages, sum.p2t) : 'n/a', ratio]);
  await single.close();
  console.log(`## PDF text extraction (pages/s; ${cpus().length} cores, load average ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}; pdftotext timed per process, startup included)`);
  console.log('(the pool splits a document over its idle threads only while the load average is below cores + 1: see ingest/pdf-pool.ts)');
  console.log(table(['pdf', 'pages', 'pdf-parse 1 thread', `pdf-parse pool (${pool.threads} threads)`, 'pdftotext', 'pool / pdftotext'], pdfRows));
  if (!haveP2T) console.log('pdftotext not installed (apt-get install -y poppler-utils): column skipped');
  console.log('');

  // ---------- per-document report ----------
  const docRows: Array<Array<string | number>> = [];
  for (const f of files) {
    t = now();
    const r = await ingestFile(new Uint8Array(readFileSync(f)), relative(corpusDir, f));
    const ms = now() - t;
    const d = r.document;
    docRows.push([d.name, d.status, d.pages, d.chars, r.chunks.length, Object.entries(d.piiCounts).map(([k, v]) => `${k}:${v}`).join(' '), ms.toFixed(0), (d.reason ?? d.warnings?.join('; ') ?? '').slice(0, 90)]);
  }
  console.log('## Per-document ingest report');
  console.log(table(['file', 'status', 'pages', 'chars', 'chunks', 'pii', 'ms', 'reason / warning'], docRows));
  t = now();
  const corpus = await ingestCorpusLocal(files.map((f) => ({ name: relative(corpusDir, f), bytes: new Uint8Array(readFileSync(f)) })));
  console.log(
    `\ncorpus run: ${corpus.documents.length} documents (${corpus.documents.filter((d) => d.status === 'duplicate').length} near-duplicate), ${corpus.aliases.length} exact aliases, ${corpus.chunks.length} chunks (${corpus.chunks.filter((c) => c.duplicateOf).length} near-duplicate), ${corpus.terms.length} discovered terms in ${((now() - t) / 1000).toFixed(1)} s`,
  );
  console.log(`top terms: ${corpus.terms.slice(0, 30).map((x) => x.term).join(' ')}`);
}

await main();
