import { z } from 'zod';
import { TrainingError } from '../errors.js';

/**
 * `rope_scaling` kgtune implements: "llama3" (Llama 3.1/3.2: frequency-dependent scaling of the
 * inverse frequencies), "linear" (positions divided by factor) and "default". HF writes the type as
 * `rope_type` (older files: `type`).
 */
export const RopeScalingSchema = z
  .looseObject({
    rope_type: z.string().optional(),
    type: z.string().optional(),
    factor: z.number().positive().optional(),
    low_freq_factor: z.number().positive().optional(),
    high_freq_factor: z.number().positive().optional(),
    original_max_position_embeddings: z.number().int().positive().optional(),
  })
  .transform((r, ctx) => {
    const kind = r.rope_type ?? r.type ?? 'default';
    if (kind === 'default') return { kind: 'default' as const };
    if (kind === 'linear') {
      if (r.factor === undefined) ctx.addIssue({ code: 'custom', message: 'rope_scaling type linear needs factor' });
      return { kind: 'linear' as const, factor: r.factor ?? 1 };
    }
    if (kind === 'llama3') {
      const { factor, low_freq_factor: low, high_freq_factor: high, original_max_position_embeddings: original } = r;
      if (factor === undefined || low === undefined || high === undefined || original === undefined) {
        ctx.addIssue({ code: 'custom', message: 'rope_scaling type llama3 needs factor, low_freq_factor, high_freq_factor and original_max_position_embeddings' });
        return z.NEVER;
      }
      if (!(high > low)) ctx.addIssue({ code: 'custom', message: `rope_scaling llama3: high_freq_factor ${high} must exceed low_freq_factor ${low}` });
      return { kind: 'llama3' as const, factor, lowFreqFactor: low, highFreqFactor: high, originalMaxPositions: original };
    }
    ctx.addIssue({ code: 'custom', message: `rope_scaling type "${kind}" is not supported (kgtune implements default, linear, llama3)` });
    return z.NEVER;
  });
export type RopeScaling = z.output<typeof RopeScalingSchema>;

/** Architectures kgtune runs: the LLaMA family and its close relatives. */
export const SUPPORTED_MODEL_TYPES = ['llama', 'mistral', 'qwen2', 'qwen3'] as const;

/**
 * The subset of a Hugging Face LLaMA-family `config.json` kgtune reads: LlamaForCausalLM (incl.
 * Llama 3.x rope_scaling), MistralForCausalLM (sliding window), Qwen2ForCausalLM (q/k/v bias),
 * Qwen3ForCausalLM (per-head q/k RMSNorm). Unknown keys pass through and are written back unchanged.
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
    /** Mistral: a query sees at most this many most recent keys (itself included); null: no window. */
    sliding_window: z.number().int().positive().nullable().optional(),
    /** Qwen2/3: the window is used only when this is true. */
    use_sliding_window: z.boolean().optional(),
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
  /** Qwen3: RMSNorm over each head's q and k (weights [hs]) before RoPE. */
  qkNorm: boolean;
  /** RoPE frequency scaling (Llama 3.x). */
  ropeScaling: RopeScaling;
  /** Sliding-window attention (Mistral): keys older than this many positions are masked; undefined: none. */
  slidingWindow: number | undefined;
  hf: HfLlamaConfig;
}

export function resolveConfig(raw: unknown): ModelConfig {
  const parsed = HfLlamaConfigSchema.safeParse(raw);
  if (!parsed.success) throw new TrainingError('InvalidModelConfig', `config.json: ${parsed.error.message}`);
  const hf = parsed.data;
  if (hf.hidden_act !== 'silu') throw new TrainingError('InvalidModelConfig', `hidden_act "${hf.hidden_act}" unsupported: kgtune implements SwiGLU (silu)`);
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(hf.model_type)) {
    throw new TrainingError('InvalidModelConfig', `model_type "${hf.model_type}" is not supported: kgtune runs ${SUPPORTED_MODEL_TYPES.join(', ')}`);
  }
  const scaling = RopeScalingSchema.safeParse(hf.rope_scaling ?? {});
  if (!scaling.success) throw new TrainingError('InvalidModelConfig', `config.json rope_scaling: ${scaling.error.issues.map((i) => i.message).join('; ')}`);
  if (hf.mlp_bias) throw new TrainingError('InvalidModelConfig', 'mlp_bias=true is not supported');
  const heads = hf.num_attention_heads;
  const kvHeads = hf.num_key_value_heads ?? heads;
  // Qwen3Config's head_dim defaults to 128 (not hidden/heads); its saved config.json always names it
  const headDim = hf.head_dim ?? (hf.model_type === 'qwen3' ? 128 : hf.hidden_size / heads);
  if (!Number.isInteger(headDim)) throw new TrainingError('InvalidModelConfig', `hidden_size ${hf.hidden_size} is not divisible by num_attention_heads ${heads}: change one of them`);
  if (headDim % 2 !== 0) throw new TrainingError('InvalidModelConfig', `head dim ${headDim} must be even for RoPE`);
  if (heads % kvHeads !== 0) throw new TrainingError('InvalidModelConfig', `num_attention_heads ${heads} must be a multiple of num_key_value_heads ${kvHeads}`);
  const isQwen2 = hf.model_type === 'qwen2';
  // Mistral always applies sliding_window when set; Qwen2/3 only with use_sliding_window
  const windowed = hf.model_type === 'mistral' || ((hf.model_type === 'qwen2' || hf.model_type === 'qwen3') && hf.use_sliding_window === true);
  if (windowed && hf.model_type !== 'mistral' && hf.sliding_window != null) {
    throw new TrainingError('InvalidModelConfig', `${hf.model_type} with use_sliding_window=true is not supported (its window applies to some layers only): set use_sliding_window to false`);
  }
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
    qkvBias: isQwen2 ? true : hf.model_type === 'mistral' ? false : (hf.attention_bias ?? false),
    oBias: isQwen2 || hf.model_type === 'mistral' ? false : (hf.attention_bias ?? false),
    qkNorm: hf.model_type === 'qwen3',
    ropeScaling: scaling.data,
    slidingWindow: windowed && hf.sliding_window != null ? hf.sliding_window : undefined,
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
