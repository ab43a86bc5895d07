import mammoth from 'mammoth';
import { describeError } from './errors.js';
import type { Extracted } from './extract.js';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Body text of a .docx via mammoth, as one page (Word files carry no stored pagination). */
export async function extractDocx(bytes: Uint8Array): Promise<Extracted> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return { mime: DOCX_MIME, status: 'ok', pages: [value] };
  } catch (e) {
    return { mime: DOCX_MIME, status: 'failed', reason: `unreadable DOCX: ${describeError(e)}`, pages: [] };
  }
}
