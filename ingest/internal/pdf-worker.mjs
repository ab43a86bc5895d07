// PDF text extraction in a worker thread (started by ingest/pdf-pool.ts). Plain JavaScript on purpose:
// worker threads are plain Node, outside tsx/vitest transforms.
//
// Message in:  { id, data: Uint8Array, share, shares }
// Message out: { id, ok: true, numPages, pages: [{ num, text }] }  — pages p with (p - 1) % shares === share
//          or  { id, ok: false, name, message }
//
// pdf-parse (through pdfjs-dist's legacy build) installs core-js polyfills when imported; here they stay
// inside this thread. Two of them replace native built-ins that Node 20 already has, only to fix edge
// cases pdf.js never meets (array-likes longer than 2^32, JSON.parse source access) and cost ~5% CPU
// (Array.prototype.push is on the hot path): the native ones are put back.
import { parentPort } from 'node:worker_threads';

const nativePush = Array.prototype.push;
const nativeJsonParse = JSON.parse;
const { PDFParse } = await import('pdf-parse');
Array.prototype.push = nativePush;
JSON.parse = nativeJsonParse;

if (!parentPort) throw new Error('pdf-worker.mjs runs as a worker thread only');
const port = parentPort;

port.on('message', async (msg) => {
  const { id, data, share, shares } = msg;
  const parser = new PDFParse({ data, verbosity: 0 });
  try {
    const doc = await parser.load();
    const partial = [];
    for (let p = 1 + share; p <= doc.numPages; p += shares) partial.push(p);
    const pages = partial.length ? (await parser.getText({ partial })).pages.map((p) => ({ num: p.num, text: p.text })) : [];
    port.postMessage({ id, ok: true, numPages: doc.numPages, pages });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ id, ok: false, name: err.name, message: err.message });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
});
