import { classifyText, sniff } from './sniff.js';
import { decodeText, type TextEncoding } from './decode-text.js';
import { extractPdf } from './extract-pdf.js';
import { extractDocx } from './extract-docx.js';
import { htmlToText, markdownToText } from './extract-html.js';
import { describeError } from './errors.js';
import type { PdfPool } from './pdf-pool.js';

export type ExtractStatus = 'ok' | 'needs_ocr' | 'encrypted' | 'failed' | 'empty';

export interface Extracted {
  mime: string;
  status: ExtractStatus;
  reason?: string;
  /** Raw text per page (one page for DOCX, HTML, Markdown and text). */
  pages: string[];
  /** Text encoding detected for text-based formats. */
  encoding?: TextEncoding;
  /** Things worth knowing that do not stop ingestion. */
  warnings?: string[];
}

/**
 * Extracts raw page texts. The type is sniffed from the bytes, never from `name` (used only in
 * reasons). Never throws for bad input: the status and reason say what went wrong. PDFs are read
 * in worker threads (`options.pdfPool`, default the shared pool).
 */
export async function extractDocument(bytes: Uint8Array, name: string, options: { pdfPool?: PdfPool } = {}): Promise<Extracted> {
  try {
    const sniffed = sniff(bytes);
    switch (sniffed.kind) {
      case 'empty':
        return { mime: sniffed.mime, status: 'empty', reason: 'zero-byte file', pages: [] };
      case 'pdf':
        return await extractPdf(bytes, options.pdfPool);
      case 'docx':
        return await extractDocx(bytes);
      case 'unsupported': {
        const claimed = /\.(pdf|docx?|html?|md|txt)$/i.exec(name)?.[1];
        const suffix = claimed ? ` (named .${claimed.toLowerCase()}, but the bytes are not that format)` : '';
        return { mime: sniffed.mime, status: 'failed', reason: `unsupported format: ${sniffed.detail ?? 'unknown'}${suffix}`, pages: [] };
      }
      case 'text': {
        const { text, encoding } = decodeText(bytes);
        const kind = classifyText(text);
        if (kind === 'html') return { mime: 'text/html', status: 'ok', pages: [htmlToText(text)], encoding };
        if (kind === 'markdown') return { mime: 'text/markdown', status: 'ok', pages: [markdownToText(text)], encoding };
        return { mime: 'text/plain', status: 'ok', pages: [text], encoding };
      }
    }
  } catch (e) {
    return { mime: 'application/octet-stream', status: 'failed', reason: `extraction error in ${name}: ${describeError(e)}`, pages: [] };
  }
}
