/**
 * What a file is, from its first bytes — never from its name or the client's Content-Type.
 * Accepted: PDF, zip (a .docx, or an archive of documents; told apart by zip-inspect), HTML,
 * plain text / Markdown (the name only picks between .txt and .md once the bytes are text).
 */

export type SniffKind = 'pdf' | 'zip' | 'html' | 'text' | 'markdown';
export type Sniff =
  | { ok: true; kind: SniffKind; mime: string; ext: string }
  | { ok: false; detail: string };

/** Bytes the sniffer wants to see (more is ignored). */
export const SNIFF_BYTES = 8192;

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

const KNOWN_BINARY: Array<[number[], string]> = [
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'a legacy Office file (.doc/.xls/.ppt)'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7z archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
  [[0x4d, 0x5a], 'a Windows executable'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'an RTF document'],
];

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((x, i) => b[at + i] === x);
}

export function sniff(head: Uint8Array, originalName = ''): Sniff {
  if (head.length === 0) return { ok: false, detail: 'the file is empty' };
  // PDF readers accept the header anywhere in the first 1024 bytes.
  if (Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 1024)).includes('%PDF-', 0, 'latin1')) {
    return { ok: true, kind: 'pdf', mime: 'application/pdf', ext: 'pdf' };
  }
  if (startsWith(head, ZIP_LOCAL) || startsWith(head, ZIP_EMPTY)) return { ok: true, kind: 'zip', mime: 'application/zip', ext: 'zip' };
  for (const [sig, what] of KNOWN_BINARY) if (startsWith(head, sig)) return { ok: false, detail: `${what} is not a supported document type` };
  const text = textKind(head);
  if (!text) return { ok: false, detail: 'binary data of an unsupported type' };
  if (isHtml(head)) return { ok: true, kind: 'html', mime: 'text/html', ext: 'html' };
  if (/\.(md|markdown)$/i.test(originalName)) return { ok: true, kind: 'markdown', mime: 'text/markdown', ext: 'md' };
  return { ok: true, kind: 'text', mime: 'text/plain', ext: 'txt' };
}

/**
 * Text: a UTF-16 BOM, or no NUL byte and almost no C0 control bytes (legacy encodings such as
 * GB18030 or Big5 are text too; ingest decodes them).
 */
function textKind(b: Uint8Array): boolean {
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return true;
  const n = Math.min(b.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) controls++;
  }
  return controls <= n / 100;
}

function isHtml(b: Uint8Array): boolean {
  let s = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 1024)).toString('utf8');
  s = s.replace(/^\uFEFF/, '').trimStart().toLowerCase();
  while (s.startsWith('<!--')) {
    const end = s.indexOf('-->');
    if (end < 0) return false;
    s = s.slice(end + 3).trimStart();
  }
  if (s.startsWith('<?xml')) s = s.slice(Math.max(0, s.indexOf('?>') + 2)).trimStart();
  return /^<(!doctype\s+html|html|head|body)[\s>]/.test(s);
}
