import { z } from 'zod';
import { LORA_TARGETS, type LoraTarget, TrainingOptions } from '../contract.js';

export { LORA_TARGETS, type LoraTarget };

/**
 * The LoRA knobs: the pipeline's own fields (rank, alpha, dropout, targets — training/contract.ts, with
 * their defaults and reasons), plus rsLoRA, which only code-level callers and loaded adapters set.
 */
export const LoraConfigSchema = TrainingOptions.pick({ rank: true, alpha: true, dropout: true, targets: true }).extend({
  /** rsLoRA: scale alpha/√rank instead of alpha/rank, stable for large ranks. */
  rsLora: z.boolean().default(false),
});
export type LoraConfig = z.infer<typeof LoraConfigSchema>;
export type LoraConfigInput = z.input<typeof LoraConfigSchema>;

/** The one place LoRA scaling is computed: alpha/rank, or alpha/√rank with rsLoRA. */
export function loraScaling(c: Pick<LoraConfig, 'rank' | 'alpha' | 'rsLora'>): number {
  return c.rsLora ? c.alpha / Math.sqrt(c.rank) : c.alpha / c.rank;
}
