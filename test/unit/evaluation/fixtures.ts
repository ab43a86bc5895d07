import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Example } from '../../../synthesis/model.js';
import { packSafetensors } from '../../../training/formats/safetensors.js';

/** A safetensors file of F32 tensors, in the given order (the product's packer, no tfjs tensors needed). */
export function safetensorsBytes(tensors: Record<string, { shape: number[]; values: number[] }>): Uint8Array {
  return packSafetensors(Object.entries(tensors).map(([name, t]) => [name, { dtype: 'F32', shape: t.shape, bytes: new Uint8Array(Float32Array.from(t.values).buffer) }]), { format: 'pt' });
}

/** A PEFT-style adapter folder: `layers` × `targets` × (lora_A [r, in], lora_B [out, r]). */
export async function writeAdapter(
  dir: string,
  opts: { layers?: number; targets?: string[]; r?: number; poison?: boolean; skipLast?: boolean } = {},
): Promise<string> {
  const layers = opts.layers ?? 2;
  const targets = opts.targets ?? ['q_proj', 'v_proj'];
  const r = opts.r ?? 2;
  const dim = 4;
  const tensors: Record<string, { shape: number[]; values: number[] }> = {};
  for (let l = 0; l < layers; l++) {
    for (const t of targets) {
      const base = `base_model.model.model.layers.${l}.self_attn.${t}`;
      tensors[`${base}.lora_A.weight`] = { shape: [r, dim], values: Array.from({ length: r * dim }, (_, i) => (i + l) / 10) };
      tensors[`${base}.lora_B.weight`] = { shape: [dim, r], values: Array.from({ length: r * dim }, () => 0) };
    }
  }
  if (opts.poison === true) {
    const first = Object.keys(tensors)[0]!;
    tensors[first]!.values[1] = Number.NaN;
  }
  if (opts.skipLast === true) delete tensors[Object.keys(tensors).at(-1)!];
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'adapter_model.safetensors'), safetensorsBytes(tensors));
  await writeFile(path.join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r, lora_alpha: 2 * r, target_modules: targets, base_model_name_or_path: 'kgtune-tiny' }));
  return dir;
}

export function example(over: Partial<Example> & Pick<Example, 'id' | 'type' | 'lang' | 'split' | 'output'>): Example {
  return {
    instruction: `Q ${over.id}`,
    input: '',
    gold: [],
    factIds: [],
    chunkIds: [],
    citations: [],
    templateId: 't',
    ...over,
  };
}
