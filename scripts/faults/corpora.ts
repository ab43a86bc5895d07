/** Corpora the scenarios generate into a scratch folder: many small distinct documents, and a hostile mix. */
import { mulberry32 } from '../../configs/pure/prng.js';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { projectRoot } from '../../configs/env.js';

/** Seeded PRNG (mulberry32, configs/pure/prng.ts). */
export const prng = mulberry32;

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'xe', 'zu', 'bra', 'cre', 'dri', 'flo', 'gru', 'pla', 'sko', 'tri', 'vor', 'wen', 'qua', 'hel', 'jor', 'yst'];

/**
 * `n` small English text documents whose words are drawn per document, so no two are near-duplicates
 * (ingest links near-duplicates instead of storing their chunks). About `kb` KB each.
 */
export function writeDistinctCorpus(dir: string, n: number, kb = 6): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const rnd = prng(1000 + i);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const vocab = Array.from({ length: 120 }, () => Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(SYLLABLES)).join(''));
    const lines = [`# Maintenance log ${i + 1}`, '', `Line ${i + 1} of plant ${pick(vocab)} was inspected on day ${i + 1}.`];
    while (lines.join('\n').length < kb * 1024) {
      const words = Array.from({ length: 8 + Math.floor(rnd() * 10) }, () => pick(vocab));
      words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
      lines.push(`${words.join(' ')} ${Math.floor(rnd() * 10_000)} units.`);
    }
    const name = `log-${String(i + 1).padStart(3, '0')}.md`;
    writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    names.push(name);
  }
  return names;
}

/** A minimal text PDF (Helvetica, one content stream per page), `pages` pages of `linesPerPage` lines. */
export function textPdf(pages: number, linesPerPage: number, line: (page: number, i: number) => string): Buffer {
  const objects: string[] = [];
  const font = 3;
  const kids: number[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < pages; p++) {
    const text = Array.from({ length: linesPerPage }, (_, i) => `(${line(p, i).replace(/([\\()])/g, '\\$1')}) Tj T*`).join('\n');
    const stream = `BT /F1 10 Tf 12 TL 40 800 Td\n${text}\nET`;
    const pageObj = 4 + 2 * p;
    kids.push(pageObj);
    bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${pageObj + 1} 0 R >>`);
    bodies.push(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
  }
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objects.push(...bodies);
  return pdfFile(objects, 1);
}

/** A PDF from its objects (object n is objects[n - 1], `root` the catalog): header, objects, cross-reference table, trailer. */
export function pdfFile(objects: string[], root: number, header = '%PDF-1.4\n'): Buffer {
  let out = header;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${root} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export const INJECTION = "'}) MATCH (n) DETACH DELETE n //";
export const GBK_PHRASE = '本公司的质量管理体系通过了年度审核';

export interface HostileFile {
  name: string;
  /** 'bad': must be reported with a reason (any status but ingested); 'good': must be ingested; 'either': ingested, or reported with a reason. */
  expect: 'bad' | 'good' | 'either';
  why: string;
}

/** The hostile corpus: bad files that must be reported with a reason, and good ones (some adversarial) that must be ingested. */
export function writeHostileCorpus(dir: string, opts: { huge: boolean }): HostileFile[] {
  mkdirSync(dir, { recursive: true });
  const root = projectRoot();
  const fx = (f: string): string => path.join(root, 'test', 'fixtures', 'ingest', f);
  const files: HostileFile[] = [];
  const copy = (src: string, name: string, expect: HostileFile['expect'], why: string): void => {
    copyFileSync(src, path.join(dir, name));
    files.push({ name, expect, why });
  };
  const write = (name: string, data: string | Buffer, expect: HostileFile['expect'], why: string): void => {
    writeFileSync(path.join(dir, name), data);
    files.push({ name, expect, why });
  };
  // Bad documents.
  copy(fx('corrupt.pdf'), 'corrupt.pdf', 'bad', 'corrupt PDF');
  copy(fx('encrypted.pdf'), 'encrypted.pdf', 'bad', 'password-protected PDF');
  copy(fx('scanned.pdf'), 'scanned.pdf', 'bad', 'scanned PDF (no text layer)');
  write('zero-byte.pdf', Buffer.alloc(0), 'bad', 'zero-byte PDF');
  const rnd = prng(7);
  write('binary-renamed.docx', Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(rnd() * 256))), 'bad', 'random bytes named .docx');
  write('elf-renamed.pdf', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.from(Array.from({ length: 8_000 }, () => Math.floor(rnd() * 256)))]), 'bad', 'executable named .pdf');
  // Good documents (the tiny corpus's two and the ingest fixtures), which must still be processed.
  copy(path.join(root, 'examples', 'tiny-corpus', 'lanling-notes-en.md'), 'lanling-notes-en.md', 'good', 'plain Markdown');
  copy(path.join(root, 'examples', 'tiny-corpus', 'lanling-profile-zh.pdf'), 'lanling-profile-zh.pdf', 'good', 'Chinese PDF');
  copy(fx('en-report.pdf'), 'en-report.pdf', 'good', 'English PDF');
  copy(fx('sample.docx'), 'sample.docx', 'good', 'DOCX');
  // Adversarial but legitimate text: must be ingested, stored literally.
  write('gbk-notice.txt', iconv.encode(`质量公告\n\n${GBK_PHRASE}。兰陵精密机械有限公司总部位于常州，主要产品是伺服电机。\n联系人：质量部。\n`, 'gbk'), 'good', 'GBK-encoded Chinese text');
  const inj = [
    `Injection test ${INJECTION}`,
    `Robert'); DROP TABLE documents;-- and ${INJECTION}`,
    '"}] MERGE (x:Corpus {tenant:"victim"}) RETURN x //',
    "\\' OR 1=1 CALL db.clearQueryCaches() //",
    '$tenant {tenant} ${tenant} `Document` :Chunk',
    'Lanling Precision Machinery makes servo motors in Changzhou.',
  ];
  write(`inject${INJECTION.replace(/\//g, '_')}.md`, `${inj.join('\n\n')}\n`, 'good', 'Cypher-injection strings (also in the file name)');
  // Dense control bytes (NUL included): rejecting as binary is acceptable, but only with a reason.
  const ctl = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u0085\u200b\u200e\u202e\ufeff\ufffe';
  write('control-dense.txt', `Control characters follow: ${ctl} end.\nLanling ships servo motors to Suzhou.${ctl}\nThe plant has 320 employees.\n`, 'either', 'dense control bytes incl. NUL');
  // Text with control characters sprinkled through it (terminal colour codes, BEL, backspace, form feed, DEL, bidi marks): a real document.
  const sprinkle = ['\u001b[31m', '\u001b[0m', '\u0007', '\u0008', '\u000c', '\u000b', '\u007f', '\u200b', '\u202e', '\u2028'];
  const sentences = Array.from({ length: 60 }, (_, i) => `Lanling line ${i + 1} assembles ${10 + i} servo motors per shift${sprinkle[i % sprinkle.length]}.`);
  write('control-chars.txt', `${sentences.join(' ')}\n`, 'good', 'control characters sprinkled in text');
  const longWord = 'x'.repeat(50_000) + 'Y'.repeat(50_000);
  write('long-word.txt', `A normal opening sentence about Lanling gearboxes.\n${longWord}\nA normal closing sentence about servo motors.\n`, 'good', '100 KB "word"');
  if (opts.huge) {
    const pdf = textPdf(200, 50, (p, i) => `Page ${p + 1} line ${i + 1}: the inspection of gearbox unit ${p * 50 + i} recorded a torque of ${(p * 7 + i * 13) % 997} newton metres.`);
    write('huge-200-pages.pdf', pdf, 'good', `huge PDF (200 pages, ${(pdf.length / 1e6).toFixed(1)} MB)`);
  }
  return files;
}
