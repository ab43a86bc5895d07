// PDF text extraction in a worker thread (started by ingest/pdf-pool.ts). Plain JavaScript on purpose:
// worker threads are plain Node, outside tsx/vitest transforms.
//
// Message in:  { id, data: Uint8Array, claim: Int32Array (shared: [0] next page index, [1] page count or 0) }
// Message out: { id, ok: true, numPages, pages: [{ num, text }] }  — the pages this thread claimed
//          or  { id, ok: false, name, message }
//
// pdf-parse (through pdfjs-dist's legacy build) installs core-js polyfills when imported; here they stay
// inside this thread. Two of them replace native built-ins that Node 20 already has, only to fix edge
// cases pdf.js never meets (array-likes longer than 2^32, JSON.parse source access), and cost ~10% CPU
// (Array.prototype.push is on the hot path): the native ones are put back. pdf.js's own worker module
// (pdf.worker.mjs, which pdf.js would otherwise import lazily on the first document, bringing its own
// copy of those polyfills back) is therefore loaded up front, before the natives are restored; pdf.js
// picks it up from globalThis.pdfjsWorker. It is resolved from pdf-parse's location, so it is the very
// pdfjs-dist that pdf-parse uses.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const nativePush = Array.prototype.push;
const nativeJsonParse = JSON.parse;
const { PDFParse } = await import('pdf-parse');
await import(createRequire(import.meta.resolve('pdf-parse')).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'));
Array.prototype.push = nativePush;
JSON.parse = nativeJsonParse;

if (!parentPort) throw new Error('pdf-worker.mjs runs as a worker thread only');
const port = parentPort;

port.on('message', async (msg) => {
  const { id, data, claim } = msg;
  const known = Atomics.load(claim, 1);
  if (known > 0 && Atomics.load(claim, 0) >= known) {
    // the other threads have already claimed every page: no need to open the document
    port.postMessage({ id, ok: true, numPages: known, pages: [] });
    return;
  }
  const parser = new PDFParse({ data, verbosity: 0 });
  try {
    const doc = await parser.load();
    const n = doc.numPages;
    Atomics.store(claim, 1, n);
    const pages = [];
    for (let i = Atomics.add(claim, 0, 1); i < n; i = Atomics.add(claim, 0, 1)) {
      for (const p of (await parser.getText({ partial: [i + 1] })).pages) pages.push({ num: p.num, text: p.text });
    }
    port.postMessage({ id, ok: true, numPages: n, pages });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ id, ok: false, name: err.name, message: err.message });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
});
