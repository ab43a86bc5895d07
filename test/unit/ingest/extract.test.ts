import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, extractDocument, ingestFile, sniff } from '../../../ingest/index.js';
import { fixture, rng, utf8 } from './fixtures.js';

const SUNZI = '孙子曰：兵者，国之大事，死生之地，存亡之道，不可不察也。故经之以五事，校之以计，而索其情：一曰道，二曰天，三曰地，四曰将，五曰法。';
const SUNZI_TW = '孫子曰：兵者，國之大事，死生之地，存亡之道，不可不察也。故經之以五事，校之以計，而索其情：一曰道，二曰天，三曰地，四曰將，五曰法。';

describe('extract: formats', () => {
  const FILES: { file: string; what: string; mime: string; pages: number; page: number; text: string }[] = [
    { file: 'en-report.pdf', what: 'an English PDF per page', mime: 'application/pdf', pages: 3, page: 1, text: 'Operations. Output of the Shenzhen plant' },
    { file: 'zh-report.pdf', what: 'a Chinese PDF (CID font with ToUnicode) per page', mime: 'application/pdf', pages: 3, page: 1, text: '与科大讯飞、英伟达等' },
    { file: 'sample.docx', what: 'DOCX as one page', mime: 'wordprocessingml', pages: 1, page: 0, text: '面向制造业的大模型知识库建设' },
  ];
  it.each(FILES)('reads $what', async ({ file, mime, pages, page, text }) => {
    const ex = await extractDocument(fixture(file), file);
    expect(ex.status).toBe('ok');
    expect(ex.mime).toContain(mime);
    expect(ex.pages).toHaveLength(pages);
    expect(ex.pages[page]).toContain(text);
  });

  it('reads HTML: drops script/style, keeps block breaks and the title', async () => {
    const html = '<!DOCTYPE html><html><head><title>公司 新闻</title><style>p{color:red}</style><script>var x = "不要";</script></head><body><div>第一段&amp;内容</div><p>第二段</p><ul><li>A</li><li>B</li></ul></body></html>';
    const ex = await extractDocument(utf8(html), 'page.bin');
    expect(ex.mime).toBe('text/html');
    expect(ex.pages[0]).toBe('公司 新闻\n第一段&内容\n第二段\nA\nB');
  });

  it('reads Markdown without its markup', async () => {
    const md = '# 标题\n\n这是 **重点** 内容，见 [链接](http://example.org/x)。\n\n- 第一项\n- 第二项\n\n```\ncode\n```\n';
    const ex = await extractDocument(utf8(md), 'notes.txt');
    expect(ex.mime).toBe('text/markdown');
    expect(ex.pages[0]).toContain('标题\n');
    expect(ex.pages[0]).toContain('这是 重点 内容，见 链接。');
    expect(ex.pages[0]).not.toContain('```');
  });

  it('reads plain UTF-8 text, and UTF-16 with a BOM', async () => {
    const ex = await extractDocument(utf8('hello 世界'), 'a.txt');
    expect(ex).toMatchObject({ mime: 'text/plain', status: 'ok', encoding: 'utf-8', pages: ['hello 世界'] });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('UTF-16 文本', 'utf16le')]);
    const ex16 = await extractDocument(new Uint8Array(le), 'b.txt');
    expect(ex16).toMatchObject({ status: 'ok', encoding: 'utf-16le', pages: ['UTF-16 文本'] });
  });

  it('detects GBK (GB18030) text', async () => {
    const bytes = iconv.encode(`Provenance: Project Gutenberg.\n${SUNZI}`, 'gbk');
    const d = decodeText(new Uint8Array(bytes));
    expect(d.encoding).toBe('gb18030');
    expect(d.text).toContain(SUNZI);
    const ex = await extractDocument(new Uint8Array(bytes), 'sunzi.txt');
    expect(ex.pages[0]).toContain('兵者，国之大事');
  });

  it('detects Big5 text (a GB18030 decode would succeed with mojibake)', async () => {
    const bytes = iconv.encode(SUNZI_TW, 'big5');
    const d = decodeText(new Uint8Array(bytes));
    expect(d.encoding).toBe('big5');
    expect(d.text).toBe(SUNZI_TW);
  });

  it('does not trust a lying HTML charset: UTF-8 bytes declared gb2312 stay UTF-8', async () => {
    const html = '<html><head><meta charset="gb2312"><title>t</title></head><body><p>人工智能新闻</p></body></html>';
    const ex = await extractDocument(utf8(html), 'qq.html');
    expect(ex.encoding).toBe('utf-8');
    expect(ex.pages[0]).toContain('人工智能新闻');
  });

  it('sniffs by bytes, not by name', () => {
    expect(sniff(fixture('en-report.pdf')).kind).toBe('pdf');
    expect(sniff(fixture('sample.docx')).kind).toBe('docx');
    expect(sniff(utf8('just text')).kind).toBe('text');
  });
});

describe('extract: bad input becomes a status, never a throw', () => {
  it('zero-byte → empty', async () => {
    const ex = await extractDocument(new Uint8Array(0), 'nothing.pdf');
    expect(ex.status).toBe('empty');
    const r = await ingestFile(new Uint8Array(0), 'nothing.pdf');
    expect(r.document).toMatchObject({ status: 'empty', pages: 0, chars: 0 });
    expect(r.document.reason).toBeTruthy();
  });

  it('whitespace-only text → empty after normalization', async () => {
    const r = await ingestFile(utf8(' \n\t\u3000\n \r\n'), 'blank.txt');
    expect(r.document.status).toBe('empty');
    expect(r.document.reason).toMatch(/no text/);
    expect(r.chunks).toEqual([]);
  });

  it('corrupt PDF → failed with reason', async () => {
    const ex = await extractDocument(fixture('corrupt.pdf'), 'corrupt.pdf');
    expect(ex.status).toBe('failed');
    expect(ex.reason).toMatch(/unreadable PDF/);
  });

  it('encrypted PDF (user password) → encrypted', async () => {
    const ex = await extractDocument(fixture('encrypted.pdf'), 'encrypted.pdf');
    expect(ex.status).toBe('encrypted');
    expect(ex.reason).toMatch(/password/i);
  });

  it('owner-password-only PDF opens, with a warning', async () => {
    const ex = await extractDocument(fixture('owner-only-encrypted.pdf'), 'owner.pdf');
    expect(ex.status).toBe('ok');
    expect(ex.warnings?.[0]).toMatch(/owner password/);
    expect(ex.pages[0]).toContain('ACME Robotics');
  });

  it('scanned PDF (image-only pages) → needs_ocr', async () => {
    const ex = await extractDocument(fixture('scanned.pdf'), 'scan.pdf');
    expect(ex.status).toBe('needs_ocr');
    expect(ex.pages).toHaveLength(2);
    expect(ex.reason).toMatch(/no text layer/);
  });

  it('corrupt DOCX → failed with reason', async () => {
    const ex = await extractDocument(fixture('corrupt.docx'), 'corrupt.docx');
    expect(ex.status).toBe('failed');
    expect(ex.reason).toMatch(/DOCX/);
  });

  it('binary renamed .pdf → failed, saying the bytes are not a PDF', async () => {
    const r = rng(7);
    const bytes = new Uint8Array(4096).map(() => Math.floor(r() * 256));
    const ex = await extractDocument(bytes, 'invoice.pdf');
    expect(ex.status).toBe('failed');
    expect(ex.reason).toMatch(/unsupported format.*named \.pdf/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await extractDocument(png, 'scan.pdf')).reason).toMatch(/PNG image/);
  });

  it('a single 10 MB line ingests without blowing up', async () => {
    // no sentence punctuation at all: the only way to chunk it is to cut long spans
    const unit = '大模型训练需要大量算力 the GPU cluster runs day and night ';
    const line = unit.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(unit)));
    const bytes = utf8(line);
    expect(bytes.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const r = await ingestFile(bytes, 'one-line.txt', { chunk: { maxTokens: 256 } });
    expect(r.document.status).toBe('ingested');
    expect(r.chunks.length).toBeGreaterThan(1000);
    const page = r.pages[0] as string;
    for (const c of r.chunks.slice(0, 50)) expect(page.slice(c.start, c.end)).toBe(c.text);
    expect(Math.max(...r.chunks.map((c) => c.text.length))).toBeLessThan(2000);
  });
});
