import { z } from 'zod';
import { LORA_TARGETS, type LoraTarget, TrainingOptions } from '../contract.js';
import { parseTrainingConfig } from '../errors.js';

export { LORA_TARGETS, type LoraTarget };

/**
 * The LoRA knobs: the pipeline's own fields (rank, alpha, dropout, targets — training/contract.ts, with
 * their defaults and reasons), plus rsLoRA, which only code-level callers and loaded adapters set.
 */
const PipelineLora = TrainingOptions.pick({ rank: true, alpha: true, dropout: true, targets: true });

/** Strict: an unknown name (PEFT's `r`, a typo) fails in one line instead of being dropped for the default. */
export const LoraConfigSchema = PipelineLora.extend({
  /** rsLoRA: scale alpha/√rank instead of alpha/rank, stable for large ranks. */
  rsLora: z.boolean().default(false),
}).strict();
export type LoraConfig = z.infer<typeof LoraConfigSchema>;
export type LoraConfigInput = z.input<typeof LoraConfigSchema>;
/** The LoRA fields of a pipeline's training options; `parseLoraConfig`: a bad or unknown field is one TrainingError line. */
export const loraOptions = (t: TrainingOptions): LoraConfigInput => PipelineLora.parse(t);
export const parseLoraConfig = (raw: unknown): LoraConfig => parseTrainingConfig(LoraConfigSchema, raw, 'LoRA config');

/** The one place LoRA scaling is computed: alpha/rank, or alpha/√rank with rsLoRA. */
export function loraScaling(c: Pick<LoraConfig, 'rank' | 'alpha' | 'rsLora'>): number {
  return c.rsLora ? c.alpha / Math.sqrt(c.rank) : c.alpha / c.rank;
}
