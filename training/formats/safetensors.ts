import { readFile, writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TrainingError } from '../errors.js';

/** safetensors: u64 LE header length, JSON header {name: {dtype, shape, data_offsets}}, raw LE data. */
const EntrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

export interface SafetensorsFile {
  tensors: Map<string, tf.Tensor>;
  metadata: Record<string, string>;
}

function f16ToF32(h: number): number {
  const s = (h & 0x8000) >> 15;
  const e = (h & 0x7c00) >> 10;
  const f = h & 0x03ff;
  if (e === 0) return (s ? -1 : 1) * Math.pow(2, -14) * (f / 1024);
  if (e === 0x1f) return f ? NaN : (s ? -1 : 1) * Infinity;
  return (s ? -1 : 1) * Math.pow(2, e - 15) * (1 + f / 1024);
}

/** Per safetensors dtype: its width in bytes, the typed array it decodes to, and how one little-endian value reads. */
const DTYPES: Record<string, { bytes: number; int: boolean; read: (dv: DataView, at: number) => number }> = {
  F32: { bytes: 4, int: false, read: (dv, at) => dv.getFloat32(at, true) },
  F16: { bytes: 2, int: false, read: (dv, at) => f16ToF32(dv.getUint16(at, true)) },
  BF16: { bytes: 2, int: false, read: (dv, at) => bf16ToF32(dv.getUint16(at, true)) },
  I32: { bytes: 4, int: true, read: (dv, at) => dv.getInt32(at, true) },
  I64: { bytes: 8, int: true, read: (dv, at) => Number(dv.getBigInt64(at, true)) },
};

/** bfloat16 is the top half of a float32. */
const bf16Scratch = new DataView(new ArrayBuffer(4));
function bf16ToF32(h: number): number {
  bf16Scratch.setUint32(0, h << 16);
  return bf16Scratch.getFloat32(0);
}

/** Decode one tensor's bytes to float32 (F32, F16, BF16) or int32 (I32, I64 in range). */
function decode(dtype: string, bytes: Uint8Array, count: number, name: string): Float32Array | Int32Array {
  const d = DTYPES[dtype];
  if (!d) throw new TrainingError('InvalidCheckpoint', `safetensors tensor "${name}": dtype ${dtype} unsupported (F32, F16, BF16, I32, I64 are)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = d.int ? new Int32Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = d.read(dv, i * d.bytes);
  return out;
}


export function parseSafetensors(buf: Uint8Array, source = 'safetensors'): SafetensorsFile {
  if (buf.byteLength < 8) throw new TrainingError('InvalidCheckpoint', `${source}: file too short`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (8 + n > buf.byteLength) throw new TrainingError('InvalidCheckpoint', `${source}: header length ${n} exceeds the file`);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n))) as Record<string, unknown>;
  const data = buf.subarray(8 + n);
  const tensors = new Map<string, tf.Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = z.record(z.string(), z.string()).parse(raw);
      continue;
    }
    const e = EntrySchema.parse(raw);
    const count = e.shape.reduce((a, b) => a * b, 1);
    const [begin, end] = e.data_offsets;
    const width = DTYPES[e.dtype]?.bytes;
    if (width !== undefined && end - begin !== count * width) {
      throw new TrainingError('InvalidCheckpoint', `${source}: "${name}" has ${end - begin} bytes, shape [${e.shape.join(', ')}] × ${e.dtype} needs ${count * width}`);
    }
    const values = decode(e.dtype, data.subarray(begin, end), count, name);
    tensors.set(name, values instanceof Int32Array ? tf.tensor(values, e.shape, 'int32') : tf.tensor(values, e.shape, 'float32'));
  }
  return { tensors, metadata };
}

export async function readSafetensors(file: string): Promise<SafetensorsFile> {
  return parseSafetensors(new Uint8Array(await readFile(file)), file);
}

/** One tensor as safetensors stores it: dtype, shape and its little-endian bytes. */
export interface PackedTensor { dtype: 'F32' | 'I32'; shape: number[]; bytes: Uint8Array }

/** The file's bytes: u64 LE header length, the JSON header padded to 8 bytes, then the data in the given order. */
export function packSafetensors(tensors: [string, PackedTensor][], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let p = 8 + head.byteLength;
  for (const [, t] of tensors) {
    out.set(t.bytes, p);
    p += t.bytes.byteLength;
  }
  return out;
}

/** Serialise float32 tensors as F32 (int32 as I32), names sorted, header padded to 8 bytes. */
export async function serializeSafetensors(tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const packed: [string, PackedTensor][] = [];
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    const values = await t.data();
    const int = t.dtype === 'int32';
    const typed = int ? Int32Array.from(values as Int32Array) : Float32Array.from(values as Float32Array);
    // typed arrays are platform-endian; every platform Node runs on here is little-endian
    packed.push([name, { dtype: int ? 'I32' : 'F32', shape: t.shape, bytes: new Uint8Array(typed.buffer) }]);
  }
  return packSafetensors(packed, metadata);
}

export async function writeSafetensors(file: string, tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = { format: 'pt' }): Promise<void> {
  await writeFile(file, await serializeSafetensors(tensors, metadata));
}

export function disposeAll(tensors: Map<string, tf.Tensor>): void {
  for (const t of tensors.values()) t.dispose();
}
