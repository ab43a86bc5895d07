import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipLimits } from '../../../api/config.js';
import { ApiError } from '../../../api/errors.js';
import { extractZip, inspectZip, unsafeName } from '../../../api/zip-inspect.js';
import { buildDocx, buildZip, minimalPdf, type ZipEntrySpec } from './zip-builder.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kgtune-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = ZipLimits.parse({ maxEntries: 20, maxTotalUncompressedBytes: 4 * 1024 * 1024, maxRatio: 100 });
const MAX_MEMBER = 2 * 1024 * 1024;

let n = 0;
function file(entries: ZipEntrySpec[] | Buffer): { p: string; size: number } {
  const buf = Buffer.isBuffer(entries) ? entries : buildZip(entries);
  const p = path.join(dir, `z${n++}.zip`);
  writeFileSync(p, buf);
  return { p, size: buf.length };
}
async function inspect(entries: ZipEntrySpec[] | Buffer, l = limits) {
  const f = file(entries);
  return inspectZip(f.p, f.size, l, MAX_MEMBER, 'test.zip');
}
async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return { code: (e as ApiError).code, message: (e as ApiError).message };
  }
  throw new Error('expected a rejection');
}
async function drain(s: Readable): Promise<number> {
  let len = 0;
  for await (const c of s) len += (c as Buffer).length;
  return len;
}

describe('zip inspection', () => {
  it('tells a .docx from an archive of documents and lists members, skipping folders and hidden files', async () => {
    expect((await inspect(buildDocx())).isDocx).toBe(true);
    const r = await inspect([
      { name: 'docs/' }, { name: 'docs/a.pdf', data: minimalPdf() }, { name: 'b.txt', data: 'hello' },
      { name: '__MACOSX/docs/._a.pdf', data: 'x' }, { name: 'docs/.DS_Store', data: 'x' },
    ]);
    expect(r.isDocx).toBe(false);
    expect(r.members.map((m) => m.name)).toEqual(['docs/a.pdf', 'b.txt']);
    expect(r.skipped.map((s) => s.name)).toEqual(['__MACOSX/docs/._a.pdf', 'docs/.DS_Store']);
  });

  it('rejects path traversal and absolute paths, also hidden in backslashes or a Unicode-path field', async () => {
    for (const name of ['../evil.txt', 'docs/../../evil.txt', '/etc/passwd', 'C:/Windows/x.txt', '..\\evil.txt', 'a\\..\\..\\b.txt']) {
      const r = await rejection(inspect([{ name: 'ok.txt', data: 'fine' }, { name, data: 'x' }]));
      expect(r.code, name).toBe('unsafe_archive');
    }
    const r = await rejection(inspect([{ name: 'innocent.txt', data: 'x', unicodePath: '../../evil.txt' }]));
    expect(r).toMatchObject({ code: 'unsafe_archive' });
    expect(r.message).toMatch(/climbs out/);
    expect(unsafeName('docs/a..b.txt')).toBeUndefined();
  });

  it('rejects symbolic links', async () => {
    const r = await rejection(inspect([{ name: 'link', data: '/etc/passwd', unixMode: 0o120777, method: 0 }]));
    expect(r.code).toBe('unsafe_archive');
    expect(r.message).toMatch(/symbolic link/);
    // a regular file with Unix permissions is fine
    expect((await inspect([{ name: 'a.txt', data: 'x', unixMode: 0o100644 }])).members).toHaveLength(1);
  });

  it('rejects zip bombs by compression ratio, by total inflated size and by member count', async () => {
    const zeros = Buffer.alloc(3 * 1024 * 1024);
    const ratio = await rejection(inspect([{ name: 'zeros.txt', data: zeros }]));
    expect(ratio.code).toBe('zip_bomb');
    expect(ratio.message).toMatch(/inflates \d+×/);
    const noise = (k: number): Buffer => Buffer.from(Array.from({ length: k }, (_, i) => (i * 7919 + k) % 251));
    const total = await rejection(inspect([1, 2, 3].map((i) => ({ name: `n${i}.txt`, data: noise(1_500_000 + i), method: 0 as const }))));
    expect(total).toMatchObject({ code: 'zip_bomb' });
    expect(total.message).toMatch(/more than 4194304 bytes/);
    const many = await rejection(inspect(Array.from({ length: 21 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }))));
    expect(many.code).toBe('zip_bomb');
  });

  it('applies the per-file limit to archive members (not to the parts of a .docx)', async () => {
    const big = Buffer.from(Array.from({ length: MAX_MEMBER + 10 }, (_, i) => (i * 31) % 251));
    const r = await rejection(inspect([{ name: 'big.txt', data: big, method: 0 }]));
    expect(r.code).toBe('file_too_large');
  });

  it('refuses encrypted members', async () => {
    const r = await rejection(inspect([{ name: 'secret.txt', data: 'x', method: 0, encrypted: true }]));
    expect(r.code).toBe('unsupported_type');
  });

  it('catches a member that inflates beyond its declared size while extracting', async () => {
    const f = file([{ name: 'liar.txt', data: Buffer.alloc(200_000, 0x61), declaredSize: 1000 }]);
    const report = await inspectZip(f.p, f.size, limits, MAX_MEMBER, 'liar.zip');
    expect(report.members[0]!.uncompressedSize).toBe(1000); // the header passes the ratio check…
    const r = await rejection(extractZip(f.p, report, 'liar.zip', async (_m, s) => { await drain(s); }));
    expect(r.code).toBe('zip_bomb'); // …the real bytes do not
  });

  it('extracts members one at a time, byte for byte', async () => {
    const pdf = minimalPdf();
    const f = file([{ name: 'a.pdf', data: pdf }, { name: 'b.txt', data: 'hello', method: 0 }]);
    const report = await inspectZip(f.p, f.size, limits, MAX_MEMBER, 'ok.zip');
    const got: Record<string, number> = {};
    await extractZip(f.p, report, 'ok.zip', async (m, s) => { got[m.name] = await drain(s); });
    expect(got).toEqual({ 'a.pdf': pdf.length, 'b.txt': 5 });
  });

  it('calls a file that is not a zip unsupported, not a server error', async () => {
    const r = await rejection(inspect(Buffer.from('PK\x03\x04 definitely not a zip')));
    expect(r.code).toBe('unsupported_type');
  });
});
