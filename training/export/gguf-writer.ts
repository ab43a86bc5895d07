/**
 * A GGUF (v3) file writer for dense F32/F16 tensors.
 *
 * The header and metadata key/values are serialised by the kept library @huggingface/gguf
 * (`serializeGgufMetadata`, the same package that reads GGUF files for `base pull`). That library
 * has no tensor writer (it edits metadata of existing files), and no maintained JS package writes
 * GGUF tensors, so the remaining two parts are written here and kept small: the tensor infos
 * (name, dims innermost first, ggml type, offset) and the aligned tensor data. Quantised types are
 * out of scope: llama.cpp's own `llama-quantize` turns an F16 file into any of them.
 * Round-tripped through @huggingface/gguf's reader in test/unit/training/export-gguf.test.ts.
 */
import { open } from 'node:fs/promises';
import { GGUFValueType, type GGUFTypedMetadata, serializeGgufMetadata } from '@huggingface/gguf';
import { TrainingError } from '../errors.js';

export const GGUF_ALIGNMENT = 32;
/** ggml type ids (ggml.h `enum ggml_type`) this writer stores. */
export const GGML_TYPE = { F32: 0, F16: 1 } as const;
export type GgmlWriteType = (typeof GGML_TYPE)[keyof typeof GGML_TYPE];

/** One metadata value with its GGUF type (and element type for arrays). */
export interface GgufEntry {
  type: GGUFValueType;
  subType?: GGUFValueType;
  value: unknown;
}

export interface GgufTensorSpec {
  name: string;
  /** Row-major shape as in PyTorch/safetensors ([rows, cols]); written to GGUF innermost first. */
  shape: number[];
  type: GgmlWriteType;
}

/** Typed metadata helpers: the GGUF type of each key is explicit, as llama.cpp checks it. */
export const kv = {
  str: (value: string): GgufEntry => ({ type: GGUFValueType.STRING, value }),
  u32: (value: number): GgufEntry => ({ type: GGUFValueType.UINT32, value }),
  i32: (value: number): GgufEntry => ({ type: GGUFValueType.INT32, value }),
  f32: (value: number): GgufEntry => ({ type: GGUFValueType.FLOAT32, value }),
  bool: (value: boolean): GgufEntry => ({ type: GGUFValueType.BOOL, value }),
  strs: (value: string[]): GgufEntry => ({ type: GGUFValueType.ARRAY, subType: GGUFValueType.STRING, value }),
  i32s: (value: number[]): GgufEntry => ({ type: GGUFValueType.ARRAY, subType: GGUFValueType.INT32, value }),
};

const pad = (n: number, a = GGUF_ALIGNMENT): number => Math.ceil(n / a) * a;
const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const bytesOf = (t: GgufTensorSpec): number => count(t.shape) * (t.type === GGML_TYPE.F32 ? 4 : 2);

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}
function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** float32 → IEEE half bits, round to nearest even (overflow → ±Inf, tiny → subnormal/0). */
export function toHalfBits(x: number): number {
  SCRATCH_F32[0] = x;
  return halfFromF32Bits(SCRATCH_U32[0]!);
}
const SCRATCH_F32 = new Float32Array(1);
const SCRATCH_U32 = new Uint32Array(SCRATCH_F32.buffer);

function halfFromF32Bits(u: number): number {
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h; // a carry into the exponent is the correct rounding (up to Inf)
}

function encodeTensor(values: Float32Array, type: GgmlWriteType): Uint8Array {
  if (type === GGML_TYPE.F32) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfFromF32Bits(bits[i]!);
  return new Uint8Array(out.buffer);
}

/**
 * Write `file`: header + metadata, tensor infos, then every tensor's data in the order of `tensors`,
 * each at an offset aligned to 32 bytes. `data(spec)` is called once per tensor, in order, so large
 * models are written one tensor at a time.
 */
export async function writeGguf(file: string, metadata: Record<string, GgufEntry>, tensors: GgufTensorSpec[], data: (t: GgufTensorSpec) => Promise<Float32Array> | Float32Array): Promise<void> {
  const names = new Set<string>();
  for (const t of tensors) {
    if (names.has(t.name)) throw new TrainingError('InvalidCheckpoint', `GGUF export: tensor ${t.name} twice`);
    names.add(t.name);
  }
  const typed = {
    version: { value: 3, type: GGUFValueType.UINT32 },
    tensor_count: { value: BigInt(tensors.length), type: GGUFValueType.UINT64 },
    kv_count: { value: BigInt(Object.keys(metadata).length), type: GGUFValueType.UINT64 },
    ...metadata,
  } as unknown as GGUFTypedMetadata;
  // alignment 1: the library's padding would sit between the key/values and the tensor infos, where GGUF has none
  const head = serializeGgufMetadata(typed, { alignment: 1 });
  const infos: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const t of tensors) {
    const name = enc.encode(t.name);
    infos.push(u64(name.length), name, u32(t.shape.length));
    for (const d of [...t.shape].reverse()) infos.push(u64(d));
    infos.push(u32(t.type), u64(offset));
    offset = pad(offset + bytesOf(t));
  }
  const infoBytes = infos.reduce((s, b) => s + b.length, 0);
  const dataStart = pad(head.length + infoBytes);
  const fh = await open(file, 'w');
  try {
    let pos = 0;
    const write = async (b: Uint8Array): Promise<void> => {
      await fh.write(b, 0, b.length, pos);
      pos += b.length;
    };
    await write(head);
    for (const b of infos) await write(b);
    pos = dataStart;
    for (const t of tensors) {
      const values = await data(t);
      if (values.length !== count(t.shape)) throw new TrainingError('InvalidCheckpoint', `GGUF export: ${t.name} has ${values.length} values, shape [${t.shape.join(', ')}] needs ${count(t.shape)}`);
      await write(encodeTensor(values, t.type));
      pos = pad(pos - dataStart) + dataStart;
    }
    await fh.truncate(pos);
  } finally {
    await fh.close();
  }
}
