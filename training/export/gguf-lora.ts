/**
 * A PEFT LoRA adapter → a GGUF LoRA adapter (general.type = adapter) that llama.cpp applies at run
 * time on top of the base GGUF (`llama-cli -m base.gguf --lora adapter.gguf`, node-llama-cpp's
 * `createContext({ lora })`). Tensors `blk.N.<module>.weight.lora_a` [r, in] and `.lora_b` [out, r];
 * llama's q/k permutation acts on output rows, so only lora_b of q/k is permuted (qwen2/qwen3: none). llama.cpp scales by
 * adapter.lora.alpha / r: rsLoRA's alpha/√r is written as alpha·√r / r.
 */
import * as tf from '@tensorflow/tfjs';
import { type BackendName, selectBackend } from '../backend.js';
import type { ModelConfig } from '../model/config.js';
import { disposeAdapter } from '../lora/adapter.js';
import { loadAdapter } from '../lora/peft.js';
import { ggufName, ggufRows, requireGgufArchitecture } from './gguf-llama.js';
import { GGML_TYPE, type GgufTensorSpec, kv, writeGguf } from './gguf-writer.js';

export async function exportLoraGguf(o: { adapterDir: string; config: ModelConfig; outFile: string; name: string; backend?: BackendName }): Promise<{ file: string }> {
  await selectBackend(o.backend);
  const arch = requireGgufArchitecture(o.config, 'peft');
  const adapter = await loadAdapter(o.adapterDir, o.config);
  try {
    const { rank: r, alpha, rsLora } = adapter.config;
    const values = new Map<string, Float32Array>();
    const specs: GgufTensorSpec[] = [];
    for (const m of adapter.modules.values()) {
      const base = ggufName(`${m.name}.weight`);
      const a = tf.tidy(() => tf.transpose(m.A)); // [r, in]
      const b = tf.tidy(() => tf.transpose(m.B)); // [out, r]
      const [out] = b.shape as [number, number];
      const bv = ggufRows(arch, base, b.dataSync() as Float32Array, out, r, o.config);
      values.set(`${base}.lora_a`, a.dataSync() as Float32Array);
      values.set(`${base}.lora_b`, bv);
      specs.push({ name: `${base}.lora_a`, shape: [...a.shape], type: GGML_TYPE.F32 }, { name: `${base}.lora_b`, shape: [...b.shape], type: GGML_TYPE.F32 });
      tf.dispose([a, b]);
    }
    const metadata = {
      'general.architecture': kv.str(arch.name),
      'general.type': kv.str('adapter'),
      'general.name': kv.str(o.name),
      'adapter.type': kv.str('lora'),
      'adapter.lora.alpha': kv.f32(rsLora ? alpha * Math.sqrt(r) : alpha),
    };
    await writeGguf(o.outFile, metadata, specs, (s) => values.get(s.name)!);
    return { file: o.outFile };
  } finally {
    disposeAdapter(adapter);
  }
}
