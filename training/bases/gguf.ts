/**
 * GGUF reading: the container (metadata, tensor infos, offsets) is parsed by the kept library
 * @huggingface/gguf; this file reads each tensor's bytes at its offset and dequantises them to fp32.
 * Block layouts (ggml): Q8_0 = f16 scale d + 32 × int8 → d·q; Q4_0 = f16 d + 16 bytes of nibbles →
 * d·(q − 8); Q4_1 = f16 d + f16 min m + 16 bytes of nibbles → d·q + m. In a 32-value block, byte j's
 * low nibble is value j and its high nibble value j + 16.
 */
import { open } from 'node:fs/promises';
import { gguf } from '@huggingface/gguf';
import { BaseError } from './errors.js';

/** ggml type ids (ggml.h `enum ggml_type`) of the formats kgtune dequantises. */
export const GGML = { F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q8_0: 8, BF16: 30 } as const;
const NAMES = Object.fromEntries(Object.entries(GGML).map(([k, v]) => [v, k])) as Record<number, string>;
const BLOCK = 32;
/** Bytes per block of 32 values, per block-quantised type. */
const BLOCK_BYTES: Record<number, number> = { [GGML.Q4_0]: 18, [GGML.Q4_1]: 20, [GGML.Q8_0]: 34 };

export type GgufValue = string | number | bigint | boolean | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** GGUF order: innermost dimension first (ne[0] = columns of a weight matrix). */
  dims: number[];
  type: number;
  /** Absolute byte offset of the tensor's data in the file. */
  offset: number;
}

export interface GgufFile {
  file: string;
  metadata: Record<string, GgufValue>;
  tensors: GgufTensorInfo[];
}

export async function readGgufHeader(file: string): Promise<GgufFile> {
  let parsed: Awaited<ReturnType<typeof gguf>>;
  try {
    parsed = await gguf(file, { allowLocalFile: true });
  } catch (e) {
    throw new BaseError('InvalidGguf', `${file} is not a readable GGUF file: ${(e as Error).message}`);
  }
  const base = Number(parsed.tensorDataOffset);
  const tensors = parsed.tensorInfos.map((t) => ({ name: t.name, dims: t.shape.map(Number), type: Number(t.dtype), offset: base + Number(t.offset) }));
  return { file, metadata: parsed.metadata as unknown as Record<string, GgufValue>, tensors };
}

export function typeName(type: number): string {
  return NAMES[type] ?? `ggml type ${type}`;
}

/** Bytes a tensor of `count` values of `type` occupies. */
export function byteSize(type: number, count: number, name = 'tensor'): number {
  if (type === GGML.F32) return count * 4;
  if (type === GGML.F16 || type === GGML.BF16) return count * 2;
  const bb = BLOCK_BYTES[type];
  if (bb === undefined) throw new BaseError('InvalidGguf', `${name}: ${typeName(type)} is not supported (F32, F16, BF16, Q4_0, Q4_1, Q8_0 are)`);
  if (count % BLOCK !== 0) throw new BaseError('InvalidGguf', `${name}: ${count} values is not a multiple of the block size ${BLOCK}`);
  return (count / BLOCK) * bb;
}

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 0x1f) return f ? Number.NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Dequantise `count` values of `type` from `bytes` to fp32. */
export function dequantize(type: number, bytes: Uint8Array, count: number, name = 'tensor'): Float32Array {
  const need = byteSize(type, count, name);
  if (bytes.byteLength < need) throw new BaseError('InvalidGguf', `${name}: ${bytes.byteLength} bytes, ${typeName(type)} × ${count} needs ${need}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (type) {
    case GGML.F32:
      for (let i = 0; i < count; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    case GGML.F16:
      for (let i = 0; i < count; i++) out[i] = f16(dv.getUint16(i * 2, true));
      return out;
    case GGML.BF16: {
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(i * 2, true) << 16;
      return out;
    }
    case GGML.Q8_0:
      for (let b = 0; b < count / BLOCK; b++) {
        const p = b * 34;
        const d = f16(dv.getUint16(p, true));
        for (let j = 0; j < BLOCK; j++) out[b * BLOCK + j] = d * dv.getInt8(p + 2 + j);
      }
      return out;
    case GGML.Q4_0:
      for (let b = 0; b < count / BLOCK; b++) {
        const p = b * 18;
        const d = f16(dv.getUint16(p, true));
        for (let j = 0; j < 16; j++) {
          const q = bytes[p + 2 + j]!;
          out[b * BLOCK + j] = d * ((q & 0xf) - 8);
          out[b * BLOCK + j + 16] = d * ((q >> 4) - 8);
        }
      }
      return out;
    case GGML.Q4_1:
      for (let b = 0; b < count / BLOCK; b++) {
        const p = b * 20;
        const d = f16(dv.getUint16(p, true));
        const m = f16(dv.getUint16(p + 2, true));
        for (let j = 0; j < 16; j++) {
          const q = bytes[p + 4 + j]!;
          out[b * BLOCK + j] = d * (q & 0xf) + m;
          out[b * BLOCK + j + 16] = d * (q >> 4) + m;
        }
      }
      return out;
    default:
      throw new BaseError('InvalidGguf', `${name}: ${typeName(type)} is not supported`);
  }
}

/** Read and dequantise every tensor, one at a time, in file order. */
export async function* readGgufTensors(g: GgufFile): AsyncGenerator<{ info: GgufTensorInfo; values: Float32Array }> {
  const fh = await open(g.file, 'r');
  try {
    for (const info of g.tensors) {
      const count = info.dims.reduce((a, b) => a * b, 1);
      const size = byteSize(info.type, count, info.name);
      const buf = new Uint8Array(size);
      const { bytesRead } = await fh.read(buf, 0, size, info.offset);
      if (bytesRead !== size) throw new BaseError('InvalidGguf', `${g.file}: tensor ${info.name} is cut short (${bytesRead} of ${size} bytes)`);
      yield { info, values: dequantize(info.type, buf, count, info.name) };
    }
  } finally {
    await fh.close();
  }
}
