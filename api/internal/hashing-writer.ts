import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Written { sha256: string; size: number; head: Buffer }

/**
 * Streams into a new file (never overwrites), hashing with SHA-256 and keeping the first
 * `headBytes` for sniffing. `onChunk` sees every chunk's length and may throw to abort (limits);
 * the file is flushed to disk before the promise resolves.
 */
export async function writeHashed(source: Readable, file: string, headBytes: number, onChunk: (n: number) => void): Promise<Written> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLen = 0;
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        onChunk(chunk.length);
      } catch (e) {
        cb(e as Error);
        return;
      }
      size += chunk.length;
      hash.update(chunk);
      if (headLen < headBytes) {
        const part = chunk.subarray(0, headBytes - headLen);
        head.push(part);
        headLen += part.length;
      }
      cb(null, chunk);
    },
  });
  await pipeline(source, tap, createWriteStream(file, { flags: 'wx', flush: true }));
  return { sha256: hash.digest('hex'), size, head: Buffer.concat(head) };
}
