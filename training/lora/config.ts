import { z } from 'zod';

export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

export const LoraConfigSchema = z.object({
  /** Rank 8: the common PEFT default; enough for a few hundred facts on a small base. */
  r: z.number().int().positive().default(8),
  /** alpha = 2r keeps the update scale (alpha/r = 2) independent of the rank chosen. */
  alpha: z.number().positive().default(16),
  /** Dropout on the LoRA input only (PEFT's lora_dropout); small data overfits without it. */
  dropout: z.number().min(0).max(0.9).default(0.05),
  /** All linear layers: LoRA on attention only learns facts markedly worse (QLoRA paper). */
  targets: z.array(z.enum(LORA_TARGETS)).min(1).default([...LORA_TARGETS]),
  /** rsLoRA: scale alpha/√r instead of alpha/r, stable for large ranks. */
  rsLora: z.boolean().default(false),
});
export type LoraConfig = z.infer<typeof LoraConfigSchema>;
export type LoraConfigInput = z.input<typeof LoraConfigSchema>;

/** The one place LoRA scaling is computed: alpha/r, or alpha/√r with rsLoRA. */
export function loraScaling(c: Pick<LoraConfig, 'r' | 'alpha' | 'rsLora'>): number {
  return c.rsLora ? c.alpha / Math.sqrt(c.r) : c.alpha / c.r;
}
