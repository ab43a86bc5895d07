import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Example } from '../../../synthesis/model.js';

/** A safetensors file built by hand: F32 tensors, header padded to 8 bytes. */
export function safetensorsBytes(tensors: Record<string, { shape: number[]; values: number[] }>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  const parts: Float32Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const data = Float32Array.from(t.values);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + data.byteLength] };
    parts.push(data);
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let p = 8 + head.byteLength;
  for (const d of parts) {
    out.set(new Uint8Array(d.buffer), p);
    p += d.byteLength;
  }
  return out;
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
