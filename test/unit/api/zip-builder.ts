/**
 * A tiny zip writer for tests: builds archives in memory, including malformed and hostile ones
 * (lying sizes, traversal names, symlinks, Unicode-path extra fields) that real tools refuse to make.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  data?: Buffer | string;
  /** 8 = deflate (default), 0 = store. */
  method?: 0 | 8;
  /** Unix mode, e.g. 0o120777 for a symlink (stored in the external attributes, "made by" Unix). */
  unixMode?: number;
  /** Lie in both headers about the inflated size. */
  declaredSize?: number;
  /** Info-ZIP Unicode Path extra field (0x7075) with this name. */
  unicodePath?: string;
  encrypted?: boolean;
}

/** A zip header record: little-endian fields written at their offsets, `[offset, 2 | 4 bytes, value]`. */
function header(size: number, fields: [number, 2 | 4, number][]): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, width, value] of fields) {
    if (width === 2) b.writeUInt16LE(value, at);
    else b.writeUInt32LE(value, at);
  }
  return b;
}

export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? '', 'utf8');
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(data);
    const size = e.declaredSize ?? data.length;
    let extra = Buffer.alloc(0);
    if (e.unicodePath !== undefined) {
      const up = Buffer.from(e.unicodePath, 'utf8');
      const d = Buffer.alloc(5);
      d.writeUInt8(1, 0);
      d.writeUInt32LE(crc32(name), 1);
      const h = Buffer.alloc(4);
      h.writeUInt16LE(0x7075, 0);
      h.writeUInt16LE(5 + up.length, 2);
      extra = Buffer.concat([h, d, up]);
    }
    const flags = 0x800 | (e.encrypted ? 0x1 : 0);
    const local = header(30, [[0, 4, 0x04034b50], [4, 2, 20], [6, 2, flags], [8, 2, method], [10, 4, 0], [14, 4, crc], [18, 4, body.length], [22, 4, size], [26, 2, name.length], [28, 2, extra.length]]);
    locals.push(local, name, extra, body);
    const madeBy = e.unixMode !== undefined ? (3 << 8) | 20 : 20;
    const external = e.unixMode !== undefined ? (e.unixMode << 16) >>> 0 : 0;
    const central = header(46, [
      [0, 4, 0x02014b50], [4, 2, madeBy], [6, 2, 20], [8, 2, flags], [10, 2, method], [12, 4, 0], [16, 4, crc], [20, 4, body.length], [24, 4, size],
      [28, 2, name.length], [30, 2, extra.length], [32, 2, 0], [34, 2, 0], [36, 2, 0], [38, 4, external], [42, 4, offset],
    ]);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = header(22, [[0, 4, 0x06054b50], [8, 2, entries.length], [10, 2, entries.length], [12, 4, cd.length], [16, 4, offset]]);
  return Buffer.concat([...locals, cd, end]);
}

/** A minimal .docx: enough parts for the sniffer to call it Word. */
export function buildDocx(text = 'Hello from a Word document.'): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: '_rels/.rels', data: '<?xml version="1.0"?><Relationships/>' },
    { name: 'word/document.xml', data: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>` },
  ]);
}

export function minimalPdf(label = 'kgtune test'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
