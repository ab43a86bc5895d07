/**
 * Zip archives (and .docx, which are zips) are checked from their central directory before a
 * byte is inflated: member count, total and per-member uncompressed size, compression ratio
 * (zip bombs), names that climb out of the folder or are absolute (path traversal), symlinks,
 * encryption. Extraction then re-checks the real inflated bytes against the declared sizes
 * (yauzl's validateEntrySizes), so a lying header cannot smuggle a bomb through.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ZipLimits } from './config.js';
import { ApiError } from './errors.js';

export interface ZipMember { name: string; uncompressedSize: number; compressedSize: number }
export interface ZipReport {
  /** A Word document (has word/document.xml and [Content_Types].xml), stored as one file. */
  isDocx: boolean;
  /** Regular files to extract, in archive order. */
  members: ZipMember[];
  /** Members left out, with why (folders are not listed). */
  skipped: { name: string; reason: string }[];
  totalUncompressed: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const UNIX = 3;
const UNICODE_PATH_FIELD = 0x7075;

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zf) => {
      if (err || !zf) reject(new ApiError('unsupported_type', `not a readable zip archive: ${err?.message ?? 'unknown error'}`));
      else resolve(zf);
    });
  });
}

/** Calls `onEntry` for each central-directory entry, one at a time. */
async function eachEntry(zf: ZipFile, onEntry: (e: Entry) => Promise<void>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown): void => { if (!failed) { failed = true; reject(e instanceof ApiError ? e : new ApiError('unsupported_type', `corrupt zip archive: ${(e as Error).message}`)); } };
    zf.on('error', fail);
    zf.on('end', () => { if (!failed) resolve(); });
    zf.on('entry', (e: Entry) => { onEntry(e).then(() => zf.readEntry(), fail); });
    zf.readEntry();
  });
}

/** Names as the spec says (UTF-8 when flagged, else CP437 — decoded as latin1, enough to judge paths) plus any Info-ZIP Unicode path. */
function entryNames(e: Entry): string[] {
  const raw = e.fileName as unknown as Buffer;
  const names = [(e.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1')];
  for (const f of e.extraFields) {
    if (f.id === UNICODE_PATH_FIELD && f.data.length > 5 && f.data[0] === 1) names.push(f.data.subarray(5).toString('utf8'));
  }
  return names;
}

/** Why a member name is unsafe, or undefined. Backslashes count as separators (some Windows tools write them). */
export function unsafeName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL byte';
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return 'is an absolute path';
  if (n.split('/').some((seg) => seg === '..')) return 'climbs out of the archive folder (..)';
  return undefined;
}

function mode(e: Entry): number | undefined {
  return e.versionMadeBy >> 8 === UNIX ? (e.externalFileAttributes >>> 16) & S_IFMT : undefined;
}

export async function inspectZip(path: string, fileBytes: number, limits: ZipLimits, maxMemberBytes: number, label: string): Promise<ZipReport> {
  const zf = await openZip(path);
  try {
    if (zf.entryCount > limits.maxEntries) throw new ApiError('zip_bomb', `${label}: ${zf.entryCount} members, more than the ${limits.maxEntries} allowed`);
    const report: ZipReport = { isDocx: false, members: [], skipped: [], totalUncompressed: 0 };
    const all = new Set<string>();
    await eachEntry(zf, async (e) => {
      const names = entryNames(e);
      for (const n of names) {
        const why = unsafeName(n);
        if (why) throw new ApiError('unsafe_archive', `${label}: member '${n.slice(0, 200)}' ${why}`);
      }
      const name = names[0]!.replace(/\\/g, '/');
      const m = mode(e);
      if (m === S_IFLNK) throw new ApiError('unsafe_archive', `${label}: member '${name}' is a symbolic link`);
      if (name.endsWith('/')) return;
      if (m !== undefined && m !== 0 && m !== S_IFREG) throw new ApiError('unsafe_archive', `${label}: member '${name}' is not a regular file`);
      if (e.isEncrypted()) throw new ApiError('unsupported_type', `${label}: member '${name}' is encrypted`);
      report.totalUncompressed += e.uncompressedSize;
      if (report.totalUncompressed > limits.maxTotalUncompressedBytes) {
        throw new ApiError('zip_bomb', `${label}: members inflate to more than ${limits.maxTotalUncompressedBytes} bytes`);
      }
      if (e.uncompressedSize >= limits.ratioExemptBelowBytes && e.uncompressedSize > limits.maxRatio * Math.max(e.compressedSize, 1)) {
        throw new ApiError('zip_bomb', `${label}: member '${name}' inflates ${Math.round(e.uncompressedSize / Math.max(e.compressedSize, 1))}× (limit ${limits.maxRatio}×)`);
      }
      all.add(name);
      const base = name.split('/').pop() ?? name;
      if (name.startsWith('__MACOSX/') || base.startsWith('.')) {
        report.skipped.push({ name, reason: 'hidden or system file' });
        return;
      }
      report.members.push({ name, uncompressedSize: e.uncompressedSize, compressedSize: e.compressedSize });
    });
    if (report.totalUncompressed >= limits.ratioExemptBelowBytes && report.totalUncompressed > limits.maxRatio * Math.max(fileBytes, 1)) {
      throw new ApiError('zip_bomb', `${label}: inflates ${Math.round(report.totalUncompressed / Math.max(fileBytes, 1))}× overall (limit ${limits.maxRatio}×)`);
    }
    report.isDocx = all.has('word/document.xml') && all.has('[Content_Types].xml');
    if (!report.isDocx) {
      const big = report.members.find((x) => x.uncompressedSize > maxMemberBytes);
      if (big) throw new ApiError('file_too_large', `${label}: member '${big.name}' is ${big.uncompressedSize} bytes, more than the ${maxMemberBytes} allowed per file`);
    }
    return report;
  } finally {
    zf.close();
  }
}

/**
 * Inflates every member of an inspected archive through `sink` (which writes, hashes and counts),
 * one member at a time. Bytes beyond a member's declared size abort with zip_bomb.
 */
export async function extractZip(
  path: string,
  report: ZipReport,
  label: string,
  sink: (member: ZipMember, stream: Readable) => Promise<void>,
): Promise<void> {
  const wanted = new Map(report.members.map((m) => [m.name, m]));
  const zf = await openZip(path);
  try {
    await eachEntry(zf, async (e) => {
      const name = entryNames(e)[0]!.replace(/\\/g, '/');
      const member = wanted.get(name);
      if (!member) return;
      wanted.delete(name);
      const stream = await new Promise<Readable>((resolve, reject) => {
        zf.openReadStream(e, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s)));
      });
      try {
        await sink(member, stream);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        const msg = (err as Error).message ?? '';
        if (/too many bytes|too few bytes/i.test(msg)) throw new ApiError('zip_bomb', `${label}: member '${name}' does not match its declared size`);
        if ((err as { code?: string }).code?.startsWith('Z_') || /invalid|incorrect|unexpected end/i.test(msg)) {
          throw new ApiError('unsupported_type', `${label}: member '${name}' is corrupt`);
        }
        throw err;
      }
    });
  } finally {
    zf.close();
  }
}
