import { z } from 'zod';
import { TRAINING_MIN_CONFIDENCE } from '../graph/extract/index.js';
import { SynthesisError } from './errors.js';
import { ExampleType } from './model.js';

/** Options of one synthesis run; every default carries its reason. */
export const SynthesisOptions = z.object({
  /** Everything random (splits, phrasings, negatives, fictional names) derives from it. */
  seed: z.number().int(),
  /** Total examples wanted across splits; fewer come out when the graph cannot support more. */
  targetSize: z.number().int().positive(),
  caps: z
    .object({
      /** At most this many examples per relation type (multi-hop counts against both hops). */
      perRelation: z.number().int().positive().optional(),
      /** At most this many examples mentioning one entity, so hub entities do not dominate. */
      perEntity: z.number().int().positive().optional(),
    })
    .default({}),
  /**
   * Largest share of the train split per example type. True/false and multi-hop pairs come several
   * per fact and are long; uncapped they were 58% of the sample corpus's train split (and ~75% of its
   * tokens), crowding out the direct questions.
   */
  trainTypeShares: z.partialRecord(ExampleType, z.number().min(0).max(1)).default({ true_false: 0.15, multi_hop: 0.1 }),
  /**
   * Typed facts below this confidence are never taught (they stay in the graph for browsing): the
   * extractor's threshold chosen on the real-text dev split (graph/extract/calibration.ts).
   */
  minFactConfidence: z.number().min(0).max(1).default(TRAINING_MIN_CONFIDENCE),
  /** Name of the industry pack the graph was extracted with and the templates come from; recorded in the dataset card. */
  industry: z.string().min(1).optional(),
  /** Industry-pack template override (see TemplatePackOverride); validated when resolved. */
  templates: z.unknown().optional(),
  citations: z
    .object({
      enabled: z.boolean().default(true),
      /** Document sha256 → display name; otherwise the first 12 hex digits of the sha are shown. */
      docNames: z.record(z.string(), z.string()).default({}),
      /** More than two sources make answers noisy. */
      maxPerAnswer: z.number().int().positive().default(2),
    })
    .optional(),
  splitRatios: z
    .object({
      /** Share of fact groups never trained on, for the held-out test (measures generalisation). */
      test_heldout: z.number().min(0).max(0.5).default(0.1),
      /** Share of fact groups for validation during training. */
      val: z.number().min(0).max(0.5).default(0.1),
      /**
       * Share of training fact groups also asked in their held-out phrasing (test_paraphrase). Half:
       * costs no training data, and the sample corpus's paraphrase test grows from 26 to ~45 questions.
       */
      paraphrase: z.number().min(0).max(1).default(0.5),
    })
    .default({ test_heldout: 0.1, val: 0.1, paraphrase: 0.5 }),
  /**
   * Refusals as a share of targetSize: enough to teach abstention without teaching evasion. 0.15:
   * with 0.08 and 800 steps the sample corpus's adapter refused only 4 of 7 made-up questions (gate
   * 0.8); with 0.15, 12 of 13, and paraphrase exact match stayed 0.59.
   */
  refusalShare: z.number().min(0).max(0.5).default(0.15),
  /** Ask facts in the other language too when every name has a form in that script. */
  crossLingual: z.boolean().default(true),
  /** System prompts in exports; {corpus} is replaced. */
  systemPrompt: z
    .object({ zh: z.string(), en: z.string() })
    .default({
      zh: '你是{corpus}领域的助手。只根据资料回答；资料中没有的内容，回答“资料中没有相关信息。”',
      en: 'You are an assistant for the {corpus} domain. Answer only from the documents; if they do not cover the question, answer "The documents do not say."',
    }),
});
export type SynthesisOptionsInput = z.input<typeof SynthesisOptions>;
export type ResolvedSynthesisOptions = z.output<typeof SynthesisOptions>;

/** Progress callback (the activity heartbeats with it). */
export type SynthesisProgress = (p: { stage: string; done: number; total: number }) => void;

export function resolveOptions(input: SynthesisOptionsInput): ResolvedSynthesisOptions {
  const parsed = SynthesisOptions.safeParse(input);
  if (!parsed.success) {
    throw new SynthesisError('InvalidSynthesisOptions', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const r = parsed.data.splitRatios;
  if (r.test_heldout + r.val >= 0.9) throw new SynthesisError('InvalidSynthesisOptions', 'splitRatios: test_heldout + val must leave at least 10% for train');
  return parsed.data;
}
