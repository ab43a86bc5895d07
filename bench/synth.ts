/**
 * Synthesis throughput: examples per second on a generated snapshot of ~5,000 facts (zh and en,
 * every relation type, attributes, inverse pairs, RELATED_TO noise). Runs the variants side by
 * side in one process and prints a table. `npm run bench:synth`
 */
import { performance } from 'node:perf_hooks';
import type { EntityRecord, FactRecord, SnapshotData } from '../graph/index.js';
import { renderExports, synthesize, type SynthesisOptionsInput } from '../synthesis/index.js';
import { mulberry32 } from '../configs/pure/prng.js';

function generateSnapshot(targetFacts: number, seed = 42): SnapshotData {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const entities: EntityRecord[] = [];
  const add = (type: string, zh: string, en: string | undefined) => {
    const e: EntityRecord = { id: `e${entities.length}`, name: zh, type, aliases: en ? [en] : [] };
    entities.push(e);
    return e;
  };
  const n = Math.max(20, Math.round(targetFacts / 10));
  const companies = Array.from({ length: n }, (_, i) => add('Company', `公司${i}号`, i % 3 === 0 ? undefined : `Company ${i}`));
  const people = Array.from({ length: Math.round(n / 2) }, (_, i) => add('Person', `人物${i}`, `Person ${i}`));
  const places = Array.from({ length: Math.round(n / 5) }, (_, i) => add('Location', `城市${i}`, `City ${i}`));
  const products = Array.from({ length: n }, (_, i) => add('Product', `产品${i}型`, `Product ${i}`));
  const parts = Array.from({ length: Math.round(n / 4) }, (_, i) => add('Component', `部件${i}`, `component ${i}`));
  const certs = Array.from({ length: 12 }, (_, i) => add('Certification', `ISO ${9000 + i}`, undefined));
  const classes = Array.from({ length: 15 }, (_, i) => add('Category', `类别${i}`, `category ${i}`));
  const facts: FactRecord[] = [];
  const fact = (s: EntityRecord, predicate: string, o: EntityRecord | string, lang: 'zh' | 'en') => {
    const object = typeof o === 'string' ? o : lang === 'en' ? (o.aliases[0] ?? o.name) : o.name;
    const subject = lang === 'en' ? (s.aliases[0] ?? s.name) : s.name;
    const sentence = lang === 'zh' ? `${subject}与${object}有关（${predicate}）。` : `${subject} relates to ${object} (${predicate}).`;
    const i = facts.length;
    facts.push({
      id: `f${String(i).padStart(6, '0')}`,
      subjectId: s.id,
      subject: s.name,
      subjectType: s.type,
      predicate,
      ...(typeof o === 'string' ? {} : { objectId: o.id }),
      object: typeof o === 'string' ? o : o.name,
      objectType: typeof o === 'string' ? 'Literal' : o.type,
      confidence: 0.9,
      lang,
      evidence: [{ chunkId: `c${Math.floor(i / 5)}`, docSha256: (i % 7).toString(16).repeat(64), page: 1 + (i % 40), sentenceStart: 0, sentenceEnd: sentence.length, sentence, confidence: 0.9 }],
    });
  };
  while (facts.length < targetFacts) {
    const lang = rand() < 0.5 ? 'zh' : 'en';
    const c = pick(companies);
    const p = pick(products);
    switch (Math.floor(rand() * 12)) {
      case 0: fact(c, 'LOCATED_IN', pick(places), lang); break;
      case 1: fact(c, 'FOUNDED_IN', String(1950 + Math.floor(rand() * 70)), lang); break;
      case 2: fact(c, 'RELEASED', p, lang); break;
      case 3: fact(c, 'ACQUIRED', pick(companies), lang); break;
      case 4: fact(pick(people), 'CEO_OF', c, lang); break;
      case 5: fact(c, 'SUPPLIES', pick(companies), lang); break;
      case 6: fact(c, 'CERTIFIED', pick(certs), lang); break;
      case 7: fact(p, 'PRICED_AT', `${100 + Math.floor(rand() * 9000)} ${lang === 'zh' ? '元' : 'USD'}`, lang); break;
      case 8: fact(p, rand() < 0.5 ? 'HAS_PART' : 'IS_A', rand() < 0.5 ? pick(parts) : pick(classes), lang); break;
      case 9: fact(pick(parts), 'PART_OF', p, lang); break;
      case 10: fact(p, 'ATTR:weight', `${1 + Math.floor(rand() * 50)} kg`, lang); break;
      default: fact(c, 'RELATED_TO', pick(companies), lang);
    }
  }
  return { snapshotId: 'bench', tenant: 'bench', corpus: 'bench', entities, facts };
}

interface Row { variant: string; facts: number; candidates: number; examples: number; ms: number }

function run(variant: string, snapshot: SnapshotData, opts: SynthesisOptionsInput, withExports: boolean): Row {
  const t0 = performance.now();
  const ds = synthesize(snapshot, opts);
  if (withExports) renderExports(ds);
  const ms = performance.now() - t0;
  return { variant, facts: snapshot.facts.length, candidates: ds.counts.candidates, examples: ds.examples.length, ms };
}

const snapshot = generateSnapshot(5000);
// Warm-up (JIT) on a small run, not reported.
synthesize(generateSnapshot(300), { seed: 1, targetSize: 500 });
const rows: Row[] = [
  run('synthesize, target 2k', snapshot, { seed: 1, targetSize: 2_000 }, false),
  run('synthesize, target 10k', snapshot, { seed: 1, targetSize: 10_000 }, false),
  run('synthesize, target 10k + caps', snapshot, { seed: 1, targetSize: 10_000, caps: { perRelation: 1500, perEntity: 40 } }, false),
  run('synthesize, target 10k + citations', snapshot, { seed: 1, targetSize: 10_000, citations: { enabled: true } }, false),
  run('synthesize + all exports, 10k', snapshot, { seed: 1, targetSize: 10_000 }, true),
];
const header = ['variant', 'facts', 'candidates', 'examples', 'ms', 'candidates/s', 'examples/s'];
const body = rows.map((r) => [r.variant, String(r.facts), String(r.candidates), String(r.examples), r.ms.toFixed(0), Math.round((r.candidates / r.ms) * 1000).toLocaleString('en-US'), Math.round((r.examples / r.ms) * 1000).toLocaleString('en-US')]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const b of body) console.log(line(b));
