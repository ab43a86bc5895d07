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

/** Decode one tensor's bytes to float32 (F32, F16, BF16) or int32 (I32, I64 in range). */
function decode(dtype: string, bytes: Uint8Array, count: number, name: string): Float32Array | Int32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = f16ToF32(dv.getUint16(i * 2, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(count);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(i * 2, true) << 16;
      return out;
    }
    case 'I32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getInt32(i * 4, true);
      return out;
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
      return out;
    }
    default:
      throw new TrainingError('InvalidCheckpoint', `safetensors tensor "${name}": dtype ${dtype} unsupported (F32, F16, BF16, I32, I64 are)`);
  }
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8 };

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
    const width = BYTES[e.dtype];
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

/** Serialise float32 tensors as F32 (int32 as I32), names sorted, header padded to 8 bytes. */
export async function serializeSafetensors(tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const values = await t.data();
    const dtype = t.dtype === 'int32' ? 'I32' : 'F32';
    const typed = t.dtype === 'int32' ? Int32Array.from(values as Int32Array) : Float32Array.from(values as Float32Array);
    const bytes = new Uint8Array(typed.buffer);
    // typed arrays are platform-endian; every platform Node runs on here is little-endian
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let p = 8 + head.byteLength;
  for (const c of chunks) {
    out.set(c, p);
    p += c.byteLength;
  }
  return out;
}

export async function writeSafetensors(file: string, tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = { format: 'pt' }): Promise<void> {
  await writeFile(file, await serializeSafetensors(tensors, metadata));
}

export function disposeAll(tensors: Map<string, tf.Tensor>): void {
  for (const t of tensors.values()) t.dispose();
}
