/** PDF extraction on worker threads: page order across threads, errors, a hung thread, no polyfills leaking into the caller. */
import { afterAll, describe, expect, it } from 'vitest';
import { extractDocument, PdfPool } from '../../../ingest/index.js';
import { fixture } from './fixtures.js';

/** A minimal PDF (Helvetica), one line "Page N marker" per page. */
function pagesPdf(pages: number): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids: string[] = [];
  for (let p = 1; p <= pages; p++) {
    const stream = `BT /F1 12 Tf 72 720 Td (Page ${p} marker with enough letters to count as text) Tj ET`;
    kids.push(`${objects.length + 1} 0 R`);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length + 2} 0 R >>`);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const pools: PdfPool[] = [];
const pool = (o: ConstructorParameters<typeof PdfPool>[0]): PdfPool => {
  const p = new PdfPool(o);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('PDF worker pool', () => {
  it('splits a document over two threads and returns its pages in order, as one thread does', async () => {
    const pdf = pagesPdf(7);
    const two = await pool({ threads: 2, split: 'always' }).extract(pdf);
    const one = await pool({ threads: 1 }).extract(pdf);
    expect(two).toHaveLength(7);
    two.forEach((text, i) => expect(text).toContain(`Page ${i + 1} marker`));
    expect(two).toEqual(one);
  });

  it('a document with fewer pages than threads, and split off, give the same pages', async () => {
    const split = pool({ threads: 2, split: 'always' });
    const never = pool({ threads: 2, split: 'never' });
    for (const n of [1, 4]) {
      const pdf = pagesPdf(n);
      const a = await split.extract(pdf);
      expect(a).toHaveLength(n);
      expect(await never.extract(pdf)).toEqual(a);
    }
  });

  it('runs concurrent documents side by side, each complete', async () => {
    const p = pool({ threads: 2, split: 'always' });
    const docs = [3, 1, 5, 2].map(pagesPdf);
    const results = await Promise.all(docs.map((d) => p.extract(d)));
    expect(results.map((r) => r.length)).toEqual([3, 1, 5, 2]);
    for (const r of results) r.forEach((text, i) => expect(text).toContain(`Page ${i + 1} marker`));
  });

  it("reports pdf.js's error by name and keeps working afterwards", async () => {
    const p = pool({ threads: 2, split: 'always' });
    await expect(p.extract(fixture('corrupt.pdf'))).rejects.toMatchObject({ name: 'InvalidPDFException' });
    await expect(p.extract(fixture('encrypted.pdf'))).rejects.toMatchObject({ name: 'PasswordException' });
    expect(await p.extract(pagesPdf(2))).toHaveLength(2);
  });

  it('a thread that takes too long is replaced and the document fails with a reason', async () => {
    const p = pool({ threads: 1, timeoutMs: 1 });
    await expect(p.extract(pagesPdf(3))).rejects.toMatchObject({ name: 'PdfTimeout' });
    const ex = await extractDocument(pagesPdf(3), 'slow.pdf', { pdfPool: p });
    expect(ex.status).toBe('failed');
    expect(ex.reason).toMatch(/unreadable PDF: PdfTimeout: no result after/);
  });

  it("pdf.js's core-js polyfills stay in the worker threads", async () => {
    const ex = await extractDocument(fixture('en-report.pdf'), 'en-report.pdf');
    expect(ex.status).toBe('ok');
    expect(Function.prototype.toString.call(Array.prototype.push)).toContain('[native code]');
    expect(Function.prototype.toString.call(JSON.parse)).toContain('[native code]');
  });
});
