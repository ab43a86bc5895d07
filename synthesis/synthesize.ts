import type { SnapshotData } from '../graph/index.js';
import { balance, capTrainShares } from './balance.js';
import { contamination } from './contamination.js';
import { countExamples, factSplitsOf, type Dataset } from './dataset.js';
import { canonicalOrder, datasetDigest } from './digest.js';
import { SynthesisError } from './errors.js';
import type { Candidate, GenContext } from './generators/context.js';
import { definitions } from './generators/definition.js';
import { forwardQa } from './generators/forward-qa.js';
import { multiHop } from './generators/multi-hop.js';
import { refusals } from './generators/refusal.js';
import { reverseQa } from './generators/reverse-qa.js';
import { buildNegativePool, trueFalse } from './generators/true-false.js';
import { GraphIndex, type AnswerSet } from './graph-index.js';
import { resolveOptions, type SynthesisOptionsInput, type SynthesisProgress } from './options.js';
import { planSplits } from './splits.js';
import { resolveTemplates } from './templates.js';

/**
 * Instruction pairs from one graph snapshot: every generator over every answer set, splits by
 * fact group, caps and the size target, then the digest and the contamination figures.
 * Pure and deterministic for a seed: no I/O, no clock.
 */
export function synthesize(snapshot: SnapshotData, opts: SynthesisOptionsInput, onProgress?: SynthesisProgress): Dataset {
  const options = resolveOptions(opts);
  const templates = resolveTemplates(options.templates);
  const index = new GraphIndex(snapshot, templates.skip, templates.inverse, options.minFactConfidence);
  if (index.facts.length === 0) throw new SynthesisError('EmptySnapshot', `snapshot ${snapshot.snapshotId} has no askable facts (only ${templates.skip.join(', ')}, facts below confidence ${options.minFactConfidence}, or none)`);
  const plan = planSplits(index, options.splitRatios, options.seed);
  const ctx: GenContext = { index, templates, plan, seed: options.seed, options, stats: { droppedCrossSplit: 0 } };

  const sets = index.sortedAnswerSets();
  const bySubject = new Map<string, AnswerSet[]>();
  for (const s of sets) {
    const list = bySubject.get(s.subjectId);
    if (list) list.push(s);
    else bySubject.set(s.subjectId, [s]);
  }
  const pool = buildNegativePool(index);
  const candidates: Candidate[] = [];
  const total = sets.length;
  sets.forEach((set, i) => {
    candidates.push(...forwardQa(ctx, set), ...trueFalse(ctx, set, pool), ...definitions(ctx, set), ...multiHop(ctx, set, bySubject));
    if (onProgress && (i % 500 === 0 || i === total - 1)) onProgress({ stage: 'generate', done: i + 1, total });
  });
  for (const key of [...index.reverse.keys()].sort()) {
    const facts = index.reverse.get(key) ?? [];
    const objectId = key.slice(0, key.lastIndexOf('|'));
    candidates.push(...reverseQa(ctx, objectId, facts));
  }
  candidates.push(...refusals(ctx, Math.round(options.targetSize * options.refusalShare)));

  const unique = dedupe(candidates);
  onProgress?.({ stage: 'balance', done: 0, total: unique.length });
  // A paraphrase test asks a trained fact; if balancing dropped the fact from train, so is the test.
  // One second pass with the shortfall added brings the total back near the target.
  let balanced = balance(unique, options.caps, options.targetSize, options.seed);
  let kept = keepTrainedParaphrases(balanced.kept);
  if (kept.length < balanced.kept.length && balanced.droppedByTarget > 0) {
    balanced = balance(unique, options.caps, options.targetSize + balanced.kept.length - kept.length, options.seed);
    kept = trimExcess(keepTrainedParaphrases(balanced.kept), options.targetSize);
  }
  const shared = capTrainShares(kept, options.trainTypeShares, options.seed);
  kept = keepTrainedParaphrases(shared.kept);
  const droppedUntrainedParaphrase = balanced.kept.filter((c) => c.example.split === 'test_paraphrase').length - kept.filter((c) => c.example.split === 'test_paraphrase').length;
  const examples = canonicalOrder(kept.map((c) => c.example));
  const factSplits = factSplitsOf(examples);
  const { templates: templateOverride, ...rest } = options;
  onProgress?.({ stage: 'done', done: examples.length, total: examples.length });
  return {
    digest: datasetDigest(examples),
    snapshotId: snapshot.snapshotId,
    tenant: snapshot.tenant,
    corpus: snapshot.corpus,
    seed: options.seed,
    examples,
    counts: countExamples(examples, factSplits, {
      requested: options.targetSize,
      candidates: unique.length,
      droppedByCaps: balanced.droppedByCaps + shared.dropped,
      droppedByTarget: balanced.droppedByTarget,
      droppedCrossSplit: ctx.stats.droppedCrossSplit,
      droppedUntrainedParaphrase,
    }),
    contamination: contamination(examples),
    factSplits,
    options: { ...rest, templatesOverridden: templateOverride !== undefined },
  };
}

function keepTrainedParaphrases(kept: readonly Candidate[]): Candidate[] {
  const trained = new Set(kept.filter((c) => c.example.split === 'train').flatMap((c) => c.example.factIds));
  return kept.filter((c) => c.example.split !== 'test_paraphrase' || c.example.factIds.every((f) => trained.has(f)));
}

/**
 * Bring an overshoot back to the target: first drop train examples whose facts other kept train
 * examples still teach (so no paraphrase test loses its trained fact), then non-train examples.
 */
function trimExcess(kept: readonly Candidate[], target: number): Candidate[] {
  let excess = kept.length - target;
  if (excess <= 0) return [...kept];
  const perFact = new Map<string, number>();
  for (const c of kept) if (c.example.split === 'train') for (const f of c.example.factIds) perFact.set(f, (perFact.get(f) ?? 0) + 1);
  const drop = new Set<Candidate>();
  for (let i = kept.length - 1; i >= 0 && excess > 0; i--) {
    const c = kept[i] as Candidate;
    if (c.example.split !== 'train' || c.rank === 0 || c.example.factIds.some((f) => (perFact.get(f) ?? 0) < 2)) continue;
    for (const f of c.example.factIds) perFact.set(f, (perFact.get(f) ?? 0) - 1);
    drop.add(c);
    excess--;
  }
  for (let i = kept.length - 1; i >= 0 && excess > 0; i--) {
    const c = kept[i] as Candidate;
    if (c.example.split === 'train' || drop.has(c)) continue;
    drop.add(c);
    excess--;
  }
  return kept.filter((c) => !drop.has(c));
}

/** Same id = same question on the same facts (e.g. a slot reached twice); keep the best-ranked. */
function dedupe(candidates: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const prev = best.get(c.example.id);
    if (!prev || c.rank < prev.rank) best.set(c.example.id, c);
  }
  return [...best.values()];
}
