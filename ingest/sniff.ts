/**
 * File type from the bytes, never from the name: a binary renamed `.pdf` is not a PDF.
 * Text kinds (html, markdown, text) are decided after decoding, see `classifyText`.
 */
export type SniffedKind = 'empty' | 'pdf' | 'docx' | 'text' | 'unsupported';

export interface Sniffed {
  kind: SniffedKind;
  mime: string;
  /** For `unsupported`: what the bytes look like. */
  detail?: string;
}

const PDF_HEADER_WINDOW = 1024;

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function indexOfAscii(b: Uint8Array, needle: string, from = 0, to = b.length): number {
  return Buffer.from(b.buffer, b.byteOffset, Math.min(to, b.length)).indexOf(needle, from, 'latin1');
}

const BINARY_SIGNATURES: Array<[number[], string, string]> = [
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'application/x-ole-storage', 'legacy Office (OLE) file such as .doc/.xls'],
  [[0x89, 0x50, 0x4e, 0x47], 'image/png', 'PNG image'],
  [[0xff, 0xd8, 0xff], 'image/jpeg', 'JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'image/gif', 'GIF image'],
  [[0x49, 0x49, 0x2a, 0x00], 'image/tiff', 'TIFF image'],
  [[0x4d, 0x4d, 0x00, 0x2a], 'image/tiff', 'TIFF image'],
  [[0x1f, 0x8b], 'application/gzip', 'gzip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'application/vnd.rar', 'RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'application/x-7z-compressed', '7z archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'application/x-elf', 'ELF executable'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'application/rtf', 'RTF document'],
];

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { kind: 'empty', mime: 'application/octet-stream' };
  const pdfAt = indexOfAscii(bytes, '%PDF-', 0, PDF_HEADER_WINDOW);
  if (pdfAt >= 0) return { kind: 'pdf', mime: 'application/pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (indexOfAscii(bytes, 'word/document.xml') >= 0) {
      return { kind: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
    }
    return { kind: 'unsupported', mime: 'application/zip', detail: 'zip archive that is not a Word (.docx) document' };
  }
  for (const [sig, mime, detail] of BINARY_SIGNATURES) {
    if (startsWith(bytes, sig)) return { kind: 'unsupported', mime, detail };
  }
  if (looksBinary(bytes)) return { kind: 'unsupported', mime: 'application/octet-stream', detail: 'binary data (control bytes), not text' };
  return { kind: 'text', mime: 'text/plain' };
}

/** NUL or many control bytes in the first 8 KB (a UTF-16 BOM makes NULs legitimate). */
function looksBinary(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return false;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return true;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 0x1b) control++;
  }
  return control > n * 0.05;
}

export type TextKind = 'html' | 'markdown' | 'text';

/** Decides HTML / Markdown / plain text from decoded text. */
export function classifyText(text: string): TextKind {
  const head = text.slice(0, 4096);
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>)/i.test(head)) return 'html';
  if (/<html[\s>]/i.test(head) && /<\/?(body|div|p|head)[\s>]/i.test(text.slice(0, 65536))) return 'html';
  const lines = head.split('\n', 200);
  let signals = 0;
  for (const l of lines) {
    if (/^#{1,6}\s+\S/.test(l) || /^```/.test(l) || /^\s*[-*+]\s+\S/.test(l) || /^\s*\d+\.\s+\S/.test(l) || /\[[^\]\n]+\]\([^)\s]+\)/.test(l) || /^\s*>\s/.test(l) || /^\|.*\|\s*$/.test(l)) signals++;
  }
  const heading = lines.some((l) => /^#{1,6}\s+\S/.test(l));
  return (heading && signals >= 2) || signals >= 4 ? 'markdown' : 'text';
}
