import iconv from 'iconv-lite';
import { isHan } from './internal/chars.js';
import { commonHanzi } from './internal/jieba-dict.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Share of common Han characters among Han characters of the chosen decode (legacy encodings only). */
  confidence: number;
}

/** How many bytes of a large file the legacy-encoding scorer looks at. */
const SCORE_SAMPLE_BYTES = 64 * 1024;

/**
 * Decodes text bytes: BOM first (UTF-8, UTF-16LE/BE), then strict UTF-8, else the better of
 * GB18030 and Big5, scored by the share of common Han characters (simplified or traditional)
 * and penalised for replacement characters. Declared charsets (HTML meta) are not trusted:
 * real files lie about them.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', confidence: 1 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', confidence: 1 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', confidence: 1 };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', confidence: 1 };
  } catch {
    // not UTF-8: fall through to the legacy CJK encodings
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sample = sampleAtCharBoundary(buf);
  const gb = scoreDecode(iconv.decode(sample, 'gb18030'));
  const big5 = scoreDecode(iconv.decode(sample, 'big5'));
  const encoding: TextEncoding = big5 > gb ? 'big5' : 'gb18030';
  return { text: iconv.decode(buf, encoding), encoding, confidence: Math.max(0, Math.max(gb, big5)) };
}

/** A prefix of at most SCORE_SAMPLE_BYTES that ends on an ASCII byte when one is near. */
function sampleAtCharBoundary(buf: Buffer): Buffer {
  if (buf.length <= SCORE_SAMPLE_BYTES) return buf;
  let end = SCORE_SAMPLE_BYTES;
  for (let i = end; i > end - 256; i--) {
    if ((buf[i] ?? 0) < 0x80) {
      end = i;
      break;
    }
  }
  return buf.subarray(0, end);
}

/** Common-Han share minus a penalty per replacement/private-use character. */
export function scoreDecode(text: string): number {
  const common = commonHanzi();
  let han = 0;
  let hits = 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isHan(c)) {
      han++;
      if (common.has(c)) hits++;
    } else if (c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xd800 && c <= 0xdfff)) {
      bad++;
    } else if (c >= 0x80 && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff00 && c <= 0xffef) && !(c >= 0x2010 && c <= 0x2027)) {
      // kana, Cyrillic, box drawing …: what a wrong decode of CJK bytes tends to produce
      bad += 0.5;
    }
  }
  const denom = han + bad;
  return denom === 0 ? 0 : (hits - 2 * bad) / denom;
}
