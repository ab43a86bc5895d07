import { z } from 'zod';
import { EvaluationError } from '../errors.js';

/**
 * A tfjs-free safetensors reader for sanity checks: header, bounds, and whether every float is
 * finite, straight from the bytes (training/formats/safetensors.ts builds tensors; a gate only
 * needs to look).
 */
const Entry = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: TensorInfo[];
  metadata: Record<string, string>;
  dataOffset: number;
}

const WIDTH: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** A header larger than this is not an adapter (the format itself caps it at 100 MB). */
const MAX_HEADER = 100_000_000;

export function readSafetensorsHeader(buf: Uint8Array, source = 'safetensors'): SafetensorsHeader {
  const bad = (msg: string) => new EvaluationError(`${source}: ${msg}`, 'InvalidSafetensors');
  if (buf.byteLength < 8) throw bad('shorter than the 8-byte header length');
  const n = Number(new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > buf.byteLength) throw bad(`header length ${n} exceeds the file (${buf.byteLength} bytes)`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    throw bad(`header is not JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad('header is not a JSON object');
  const dataLen = buf.byteLength - 8 - n;
  const tensors: TensorInfo[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata__') {
      const m = z.record(z.string(), z.string()).safeParse(value);
      if (!m.success) throw bad('__metadata__ must map strings to strings');
      metadata = m.data;
      continue;
    }
    const e = Entry.safeParse(value);
    if (!e.success) throw bad(`tensor "${name}": malformed entry`);
    const [begin, end] = e.data.data_offsets;
    const width = WIDTH[e.data.dtype];
    if (width === undefined) throw bad(`tensor "${name}": unknown dtype ${e.data.dtype}`);
    const count = e.data.shape.reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLen) throw bad(`tensor "${name}": data [${begin}, ${end}) outside the ${dataLen} data bytes`);
    if (end - begin !== count * width) throw bad(`tensor "${name}": ${end - begin} bytes, but [${e.data.shape.join(', ')}] × ${e.data.dtype} needs ${count * width}`);
    tensors.push({ name, dtype: e.data.dtype, shape: e.data.shape, begin, end });
  }
  return { tensors, metadata, dataOffset: 8 + n };
}

/** Number of non-finite values (NaN, ±Inf) in a float tensor; 0 for integer tensors. */
export function countNonFinite(buf: Uint8Array, header: SafetensorsHeader, t: TensorInfo): number {
  const dv = new DataView(buf.buffer, buf.byteOffset + header.dataOffset + t.begin, t.end - t.begin);
  let bad = 0;
  switch (t.dtype) {
    case 'F64':
      for (let i = 0; i < dv.byteLength; i += 8) if (!Number.isFinite(dv.getFloat64(i, true))) bad++;
      return bad;
    case 'F32':
      for (let i = 0; i < dv.byteLength; i += 4) if (!Number.isFinite(dv.getFloat32(i, true))) bad++;
      return bad;
    case 'F16': // exponent bits all ones
      for (let i = 0; i < dv.byteLength; i += 2) if ((dv.getUint16(i, true) & 0x7c00) === 0x7c00) bad++;
      return bad;
    case 'BF16':
      for (let i = 0; i < dv.byteLength; i += 2) if ((dv.getUint16(i, true) & 0x7f80) === 0x7f80) bad++;
      return bad;
    default:
      return 0;
  }
}
