/**
 * Scores the offline extractor on the real-text set (GUIDELINE.md §7): the project's ingest of each
 * document, term discovery over the split as one corpus, extraction over the split, then
 * scoreDoc per document on its labelled pages. `npx tsx bench/real-text/score.ts --split dev|test|both
 * [--pack manufacturing] [--verbose]`; bench/graph.ts prints the same tables.
 */
import { pathToFileURL } from 'node:url';
import { loadIndustryPack, type IndustryPack } from '../../configs/industry-pack.js';
import { extractOffline, formatReliability, reliability, type Judged } from '../../graph/extract/index.js';
import type { ExtractResult } from '../../graph/extract/index.js';
import { discoverTerms, Segmenter, type ChunkRecord } from '../../ingest/index.js';
import { ingestRealDoc, loadSplit, MissingCorpusError, realCorpusDir, type Split, type SplitDoc } from './corpus.js';
import { loadGold, misalignedQuotes, type GoldDoc } from './gold.js';
import { isTyped, scoreDoc, type Counts, type DocScore, type PredEntity, type PredFact } from './match.js';
import { benchEnv } from '../../configs/env.js';

/** One document's predictions on its labelled pages, kept so thresholds and pairs can be re-scored. */
export interface DocRun {
  doc: SplitDoc;
  gold: GoldDoc;
  entities: PredEntity[];
  facts: Array<PredFact & { id: string; confidence: number }>;
  text: string;
}

export interface SplitReport {
  split: Split;
  docs: Array<{ doc: SplitDoc; score: DocScore; goldFacts: number; predictedTyped: number; relatedTo: number }>;
  runs: DocRun[];
  labels: (predicate: string) => string[];
  extraction: ExtractResult;
}

/** Names of a predicate as an attribute: the ATTR key or literal relation with the pack's zh/en labels. */
function attributeLabels(pack: IndustryPack): (predicate: string) => string[] {
  return (p) => {
    const key = p.startsWith('ATTR:') ? p.slice(5) : undefined;
    const attrs = pack.attributes.filter((a) => (key ? a.key === key : a.relation === p));
    const rel = pack.relationTypes.find((r) => r.name === p);
    return [...(key ? [key] : []), ...attrs.flatMap((a) => [a.key, ...a.zh, ...a.en]), ...(rel ? [rel.zh, rel.en] : [])];
  };
}

export async function scoreSplit(split: Split, options: { pack?: string; dir?: string } = {}): Promise<SplitReport> {
  const pack = loadIndustryPack(options.pack ?? 'manufacturing');
  const docs = loadSplit().filter((d) => d.split === split);
  const chunks: ChunkRecord[] = [];
  const docOf = new Map<string, { doc: SplitDoc; pages: Set<number> | undefined }>();
  const texts: string[] = [];
  const labelledText = new Map<string, string>();
  for (const doc of docs) {
    const r = await ingestRealDoc(doc, options.dir ?? realCorpusDir());
    const bad = misalignedQuotes(loadGold(doc.id), r.pages);
    if (bad.length > 0) throw new Error(`gold quotes not found in the ingested text (ingest changed? re-check the gold): ${bad.slice(0, 3).join('; ')}`);
    docOf.set(r.document.sha256, { doc, pages: doc.pages ? new Set(doc.pages) : undefined });
    chunks.push(...r.chunks);
    texts.push(...r.pages);
    labelledText.set(doc.id, r.pages.filter((_, i) => !doc.pages || doc.pages.includes(i + 1)).join('\n'));
  }
  const userTerms = pack.entityTypes.flatMap((e) => e.dictionary ?? []).map((term) => ({ term }));
  const terms = discoverTerms(texts, { segmenter: Segmenter.create(userTerms) }).map((t) => t.term);
  const result = extractOffline({ tenant: 'real-text', chunks, terms, pack });
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  const onLabelled = (doc: SplitDoc, chunkId: string) => {
    const c = chunkById.get(chunkId);
    const d = c && docOf.get(c.docSha256);
    return !!c && d?.doc === doc && (!d.pages || d.pages.has(c.page));
  };
  const labels = attributeLabels(pack);
  const report: SplitReport = { split, docs: [], runs: [], labels, extraction: result };
  for (const doc of docs) {
    const facts = result.facts.filter((f) => f.evidence.some((e) => onLabelled(doc, e.chunkId)));
    const preds = facts.map((f) => ({ id: f.id, confidence: f.confidence, subject: f.subject, predicate: f.predicate, object: f.object, literal: !f.objectId, objectType: f.objectType }));
    const ents: PredEntity[] = result.entities
      .filter((e) => (e.mentions ?? []).some((id) => onLabelled(doc, id)))
      .map((e) => ({ name: e.name, type: e.type, aliases: e.aliases }));
    const gold = loadGold(doc.id);
    report.runs.push({ doc, gold, entities: ents, facts: preds, text: labelledText.get(doc.id) ?? '' });
    report.docs.push({
      doc, score: scoreDoc(gold, ents, preds, labels, labelledText.get(doc.id)), goldFacts: gold.relations.length + gold.attributes.length,
      predictedTyped: preds.filter(isTyped).length, relatedTo: preds.length - preds.filter(isTyped).length,
    });
  }
  return report;
}

const add = (a: Counts, b: Counts): Counts => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn });
const prf = (c: Counts) => {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : NaN };
};
const n2 = (x: number) => (Number.isNaN(x) ? '  –  ' : x.toFixed(2));
const ratio = (a: number, b: number) => (b ? `${n2(a / b)} (${a}/${b})` : '– (0/0)');

export interface SplitTotals { typed: Counts; relations: Counts; attributes: Counts; byRelation: Record<string, Counts>; numbers: DocScore['numbers']; entities: DocScore['entities'] }

export function totals(r: SplitReport): SplitTotals {
  const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
  const t: SplitTotals = { typed: zero(), relations: zero(), attributes: zero(), byRelation: {}, numbers: { matched: 0, correct: 0 }, entities: { predicted: 0, matched: 0, typeCorrect: 0, junk: 0, unlabelled: 0 } };
  for (const { score } of r.docs) {
    for (const [p, c] of Object.entries(score.relations)) { t.byRelation[p] = add(t.byRelation[p] ?? zero(), c); t.relations = add(t.relations, c); }
    t.attributes = add(t.attributes, score.attributes);
    t.numbers.matched += score.numbers.matched;
    t.numbers.correct += score.numbers.correct;
    for (const k of Object.keys(t.entities) as Array<keyof DocScore['entities']>) t.entities[k] += score.entities[k];
  }
  t.typed = add(t.relations, t.attributes);
  return t;
}

const tpOf = (s: DocScore) => s.attributes.tp + Object.values(s.relations).reduce((n, c) => n + c.tp, 0);

/**
 * Each typed fact judged alone against its document's gold (right subject, predicate/attribute value
 * and object), by fact id: what calibration, the threshold curve's accuracy and the pair check use.
 */
export function judgeFacts(r: SplitReport): Map<string, Judged & { doc: string }> {
  const out = new Map<string, Judged & { doc: string }>();
  for (const run of r.runs) {
    for (const f of run.facts.filter(isTyped)) {
      const s = scoreDoc(run.gold, run.entities, [f], r.labels, run.text);
      out.set(f.id, { confidence: f.confidence, correct: tpOf(s) > 0, doc: run.doc.id });
    }
  }
  return out;
}

/** Typed-fact precision and recall (one-to-one matching) keeping only facts at or above each threshold. */
export function thresholdCurve(r: SplitReport, thresholds: number[]): Array<{ t: number; kept: number; p: number; r: number; f: number; pUpper: number }> {
  return thresholds.map((t) => {
    let c: Counts = { tp: 0, fp: 0, fn: 0 };
    let kept = 0;
    let unl = 0;
    for (const run of r.runs) {
      const facts = run.facts.filter((f) => !isTyped(f) || f.confidence >= t);
      kept += facts.filter(isTyped).length;
      const s = scoreDoc(run.gold, run.entities, facts, r.labels, run.text);
      c = add(c, add(Object.values(s.relations).reduce(add, { tp: 0, fp: 0, fn: 0 }), s.attributes));
      unl += s.unlabelledRows;
    }
    // GUIDELINE §6: values printed on the page in statement rows the gold does not label are scored
    // as false positives (precision a lower bound); without them, precision is an upper bound.
    return { t, kept, ...prf(c), pUpper: c.tp / Math.max(1, c.tp + c.fp - unl) };
  });
}

export const CURVE_THRESHOLDS = [0, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/** Reliability table, ECE and the precision-at-threshold curve of one split. */
export function formatConfidence(r: SplitReport, trainingThreshold: number): string {
  const judged = [...judgeFacts(r).values()];
  const lines = [`\nConfidence — ${r.split} split: typed facts judged alone against the gold, binned by confidence`];
  lines.push(formatReliability(reliability(judged, 5), judged.length));
  lines.push(`precision / recall of typed facts kept at each threshold (facts below it stay in the graph, never become training pairs; default ${trainingThreshold})`);
  lines.push('precision is a lower bound (§6: unlabelled statement rows count as false positives); "P upper" leaves out values printed on the page in rows the gold does not label');
  lines.push('threshold   kept  precision  recall    F1  P upper');
  const curve = thresholdCurve(r, CURVE_THRESHOLDS);
  for (const c of curve) {
    lines.push(`${c.t.toFixed(2).padStart(9)}${c.t === trainingThreshold ? '*' : ' '} ${String(c.kept).padStart(5)}  ${n2(c.p).padStart(9)}  ${n2(c.r).padStart(6)}  ${n2(c.f).padStart(4)}  ${n2(c.pUpper).padStart(7)}`);
  }
  const taught = thresholdCurve(r, [trainingThreshold])[0]!;
  lines.push(`taught precision (facts ≥ ${trainingThreshold}): ${n2(taught.p)} lower bound / ${n2(taught.pUpper)} upper bound (unlabelled statement rows left out), recall ${n2(taught.r)}`);
  return lines.join('\n');
}

/** The tables bench:graph prints for one split. */
export function formatReport(r: SplitReport, verbose = false): string {
  const t = totals(r);
  const lines = [`\nReal-text extraction — ${r.split} split (${r.docs.length} documents, ${r.docs.reduce((n, d) => n + d.goldFacts, 0)} gold facts; offline extractor)`];
  lines.push('document                                   gold  typed pred   TP  related_to  precision  recall');
  for (const d of r.docs) {
    const c = add(Object.values(d.score.relations).reduce(add, { tp: 0, fp: 0, fn: 0 }), d.score.attributes);
    const s = prf(c);
    lines.push(`${d.doc.id.slice(0, 42).padEnd(42)} ${String(d.goldFacts).padStart(5)} ${String(d.predictedTyped).padStart(11)} ${String(c.tp).padStart(4)} ${String(d.relatedTo).padStart(11)}  ${n2(s.p).padStart(9)}  ${n2(s.r).padStart(6)}`);
  }
  lines.push('relation            TP   FP   FN  precision  recall    F1');
  const row = (name: string, c: Counts) => { const s = prf(c); lines.push(`${name.padEnd(17)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}  ${n2(s.p).padStart(9)}  ${n2(s.r).padStart(6)}  ${n2(s.f).padStart(4)}`); };
  for (const [p, c] of Object.entries(t.byRelation).sort()) row(p, c);
  row('attributes', t.attributes);
  row('TYPED FACTS', t.typed);
  const unl = r.docs.reduce((n, d) => n + d.score.unlabelledRows, 0);
  lines.push(`typed-fact precision without unlabelled table rows (value printed on the page, row not in the gold; upper bound): ${n2(t.typed.tp / Math.max(1, t.typed.tp + t.typed.fp - unl))} (${unl} of ${t.typed.fp} false positives)`);
  lines.push(`number accuracy (value right | subject+attribute matched): ${ratio(t.numbers.correct, t.numbers.matched)}`);
  lines.push(`entity-type accuracy (on gold-matched entities): ${ratio(t.entities.typeCorrect, t.entities.matched)}`);
  lines.push(`junk entities (operational test, lower bound): ${ratio(t.entities.junk, t.entities.predicted)}`);
  lines.push(`entities matching no gold entity (junk + unlabelled, upper bound): ${ratio(t.entities.junk + t.entities.unlabelled, t.entities.predicted)}`);
  if (verbose) {
    for (const d of r.docs) {
      lines.push(`\n[${d.doc.id}]`);
      for (const x of d.score.falsePositives) lines.push(`  FP   ${x}`);
      for (const x of d.score.misses) lines.push(`  MISS ${x}`);
      for (const x of d.score.junk) lines.push(`  JUNK ${x}`);
      if (d.score.unlabelled.length) lines.push(`  UNLABELLED ${d.score.unlabelled.join(', ')}`);
    }
  }
  return lines.join('\n');
}

export function parseSplitArg(argv: string[]): Split[] {
  const i = argv.indexOf('--split');
  const v = i >= 0 ? argv[i + 1] : benchEnv().BENCH_SPLIT;
  if (v === 'dev' || v === 'test') return [v];
  if (v === 'both') return ['dev', 'test'];
  throw new Error(`--split must be dev, test or both (got ${v ?? 'nothing'})`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const p = argv.indexOf('--pack');
  for (const split of parseSplitArg(argv)) {
    console.log(formatReport(await scoreSplit(split, p >= 0 ? { pack: argv[p + 1]! } : {}), argv.includes('--verbose')));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e instanceof MissingCorpusError || e instanceof Error ? `real-text bench: ${e.message}` : String(e));
    process.exitCode = 1;
  });
}
