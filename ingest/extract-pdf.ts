import { describeError } from './errors.js';
import type { Extracted } from './extract.js';
import { sharedPdfPool, type PdfPool } from './pdf-pool.js';
import { judgeTextLayer } from './text-layer.js';

const PDF_MIME = 'application/pdf';

/** True when the file declares an /Encrypt dictionary (trailer or xref stream dictionary). */
export function declaresEncryption(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('/Encrypt', 0, 'latin1') >= 0;
}

/**
 * Text layer of a PDF, one string per page, via pdf-parse 2.x in worker threads (ingest/pdf-pool.ts).
 * - PasswordException → `encrypted` (a user password is needed to read it);
 * - an owner-password-only file opens with the empty user password: `ok` + a warning;
 * - no usable text layer on any page (scans, fonts without ToUnicode, garbled OCR) → `needs_ocr`;
 * - anything pdf.js cannot parse (or a thread crash, out of memory, timeout) → `failed` with its reason.
 */
export async function extractPdf(bytes: Uint8Array, pool: PdfPool = sharedPdfPool()): Promise<Extracted> {
  const warnings: string[] = [];
  try {
    const pages = await pool.extract(bytes);
    if (declaresEncryption(bytes)) warnings.push('encrypted with an empty user password (owner password only): text extracted');
    const verdict = judgeTextLayer(pages);
    if (verdict) return { mime: PDF_MIME, status: 'needs_ocr', reason: verdict, pages, warnings };
    return { mime: PDF_MIME, status: 'ok', pages, warnings };
  } catch (e) {
    if (e instanceof Error && e.name === 'PasswordException') {
      return { mime: PDF_MIME, status: 'encrypted', reason: `password required: ${describeError(e)}`, pages: [] };
    }
    return { mime: PDF_MIME, status: 'failed', reason: `unreadable PDF: ${describeError(e)}`, pages: [] };
  }
}
