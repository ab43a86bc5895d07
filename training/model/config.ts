import { z } from 'zod';
import { TrainingError } from '../errors.js';

/**
 * The subset of a Hugging Face LLaMA-family `config.json` kgtune reads (LlamaForCausalLM,
 * Qwen2ForCausalLM, MistralForCausalLM without sliding windows). Unknown keys pass through and are
 * written back unchanged.
 */
export const HfLlamaConfigSchema = z
  .looseObject({
    architectures: z.array(z.string()).optional(),
    model_type: z.string().default('llama'),
    vocab_size: z.number().int().positive(),
    hidden_size: z.number().int().positive(),
    intermediate_size: z.number().int().positive(),
    num_hidden_layers: z.number().int().positive(),
    num_attention_heads: z.number().int().positive(),
    /** GQA: fewer key/value heads than query heads; absent means multi-head attention. */
    num_key_value_heads: z.number().int().positive().optional(),
    head_dim: z.number().int().positive().optional(),
    rope_theta: z.number().positive().default(10000),
    rms_norm_eps: z.number().positive().default(1e-6),
    max_position_embeddings: z.number().int().positive().default(2048),
    tie_word_embeddings: z.boolean().default(false),
    /** LLaMA: q/k/v/o bias flag; Qwen2 always has q/k/v bias and no such key. */
    attention_bias: z.boolean().optional(),
    mlp_bias: z.boolean().default(false),
    hidden_act: z.string().default('silu'),
    rope_scaling: z.unknown().optional(),
    bos_token_id: z.number().int().nullable().optional(),
    eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
    pad_token_id: z.number().int().nullable().optional(),
    torch_dtype: z.string().optional(),
  });
export type HfLlamaConfig = z.infer<typeof HfLlamaConfigSchema>;

/** Resolved model dimensions used by the code (camelCase, every default applied). */
export interface ModelConfig {
  vocabSize: number;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ropeTheta: number;
  rmsEps: number;
  maxPositions: number;
  tieEmbeddings: boolean;
  /** q/k/v projections carry a bias (Qwen2, or LLaMA with attention_bias). */
  qkvBias: boolean;
  /** o_proj carries a bias (LLaMA attention_bias only). */
  oBias: boolean;
  hf: HfLlamaConfig;
}

export function resolveConfig(raw: unknown): ModelConfig {
  const parsed = HfLlamaConfigSchema.safeParse(raw);
  if (!parsed.success) throw new TrainingError('InvalidModelConfig', `config.json: ${parsed.error.message}`);
  const hf = parsed.data;
  if (hf.hidden_act !== 'silu') throw new TrainingError('InvalidModelConfig', `hidden_act "${hf.hidden_act}" unsupported: kgtune implements SwiGLU (silu)`);
  if (hf.rope_scaling != null) throw new TrainingError('InvalidModelConfig', 'rope_scaling is not supported: remove it or use a model without scaled RoPE');
  if (hf.mlp_bias) throw new TrainingError('InvalidModelConfig', 'mlp_bias=true is not supported');
  const heads = hf.num_attention_heads;
  const kvHeads = hf.num_key_value_heads ?? heads;
  const headDim = hf.head_dim ?? hf.hidden_size / heads;
  if (!Number.isInteger(headDim)) throw new TrainingError('InvalidModelConfig', `hidden_size ${hf.hidden_size} is not divisible by num_attention_heads ${heads}: change one of them`);
  if (headDim % 2 !== 0) throw new TrainingError('InvalidModelConfig', `head dim ${headDim} must be even for RoPE`);
  if (heads % kvHeads !== 0) throw new TrainingError('InvalidModelConfig', `num_attention_heads ${heads} must be a multiple of num_key_value_heads ${kvHeads}`);
  const isQwen2 = hf.model_type === 'qwen2';
  return {
    vocabSize: hf.vocab_size,
    hidden: hf.hidden_size,
    intermediate: hf.intermediate_size,
    layers: hf.num_hidden_layers,
    heads,
    kvHeads,
    headDim,
    ropeTheta: hf.rope_theta,
    rmsEps: hf.rms_norm_eps,
    maxPositions: hf.max_position_embeddings,
    tieEmbeddings: hf.tie_word_embeddings,
    qkvBias: isQwen2 ? true : (hf.attention_bias ?? false),
    oBias: isQwen2 ? false : (hf.attention_bias ?? false),
    hf,
  };
}

/**
 * The tiny built-in base: small enough to pretrain in minutes on one core, big enough to learn
 * a few facts. GQA (4 query heads, 2 kv heads) and tied embeddings, as in small modern bases.
 */
export function tinyHfConfig(vocabSize: number, overrides: Partial<HfLlamaConfig> = {}): HfLlamaConfig {
  return HfLlamaConfigSchema.parse({
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocabSize,
    hidden_size: 128, // d=128: ~1 M parameters in the blocks, a few hundred tokens/s on wasm
    intermediate_size: 352, // ≈ 8/3·d rounded to a multiple of 32, as LLaMA does
    num_hidden_layers: 4,
    num_attention_heads: 4, // head dim 32
    num_key_value_heads: 2, // grouped-query attention, 2 queries per kv head
    rope_theta: 10000,
    rms_norm_eps: 1e-5,
    max_position_embeddings: 512,
    tie_word_embeddings: true, // saves vocab×d parameters, which dominate at this size
    attention_bias: false,
    hidden_act: 'silu',
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
    torch_dtype: 'float32',
    ...overrides,
  });
}
