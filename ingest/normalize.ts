import { isHan, isLower } from './internal/chars.js';

export interface NormalizeOptions {
  /** Repeated-line removal needs at least this many pages (fewer pages give no evidence). */
  minPagesForRepeats?: number;
  /** A line is a running header/footer when its shape repeats on this share of pages. */
  repeatShare?: number;
  /** How many lines at the top and at the bottom of a page are header/footer candidates. */
  edgeLines?: number;
  /** Join a line broken inside a sentence only when it is at least this share of the page's long lines. */
  fullLineShare?: number;
}

export interface NormalizeReport {
  pages: string[];
  removedHeaderFooterLines: number;
  removedPageNumbers: number;
  joinedLines: number;
}

const DEFAULTS: Required<NormalizeOptions> = {
  minPagesForRepeats: 3,
  repeatShare: 0.5,
  edgeLines: 2,
  fullLineShare: 0.6,
};

// C0/C1 controls except \t \n, zero-width characters, BOM, soft hyphen, bidi marks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u200e\u200f\u2060\ufeff\ufffe\uffff]/g;

/** Unicode clean-up of one string: NFKC (full-width ASCII → half-width), controls out, spaces collapsed. */
export function normalizeText(s: string): string {
  return s
    .replace(/\r\n?|\f|\v|\u2028|\u2029/g, '\n')
    .replace(CONTROL, '')
    .normalize('NFKC')
    .replace(/[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g, ' ');
}

const PAGE_NUMBER = [
  /^[-–—\s]*(page\s*)?\d{1,4}(\s*(\/|of)\s*\d{1,4})?[-–—\s]*$/i,
  /^第\s*\d{1,4}\s*页(\s*[,，]?\s*共\s*\d{1,4}\s*页)?$/,
  /^[-–—]?\s*[ivxlc]{1,6}\s*[-–—]?$/i,
  /^\d{1,4}\s*\/\s*\d{1,4}$/,
];

export function isPageNumberLine(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && t.length <= 20 && PAGE_NUMBER.some((re) => re.test(t));
}

/** Shape of a line for repeat detection: digits abstracted, spaces dropped. */
function lineShape(line: string): string {
  return line.replace(/\d+/g, '#').replace(/\s+/g, '');
}

/** Indices (per page) of non-empty lines within `k` of the top or bottom. */
function edgeIndices(lines: string[], k: number): number[] {
  const nonEmpty: number[] = [];
  for (let i = 0; i < lines.length; i++) if ((lines[i] as string).trim()) nonEmpty.push(i);
  if (nonEmpty.length <= 2 * k) return nonEmpty;
  return [...nonEmpty.slice(0, k), ...nonEmpty.slice(-k)];
}

/** Running headers and footers are short; longer repeated lines are content. */
const MAX_HEADER_CHARS = 100;

const ZH_TERMINAL = new Set(['。', '!', '?', ';', ':', '…', '」', '』', '”']);
const ZH_JOINABLE_END = new Set([',', '、', '(', '《', '“', '「', '-', '/']);
const ZH_JOINABLE_START = new Set([',', '、', '。', '.', ';', '!', '?', ')', '》', '”', '」', ':', '%']);

/**
 * Normalizes pages: text clean-up, running header/footer and page-number removal across pages,
 * then repair of hard line breaks (lines broken inside a Chinese sentence are joined; English
 * hyphenation at line end is undone; English lines continuing in lower case are joined with a space).
 */
export function normalizePages(rawPages: string[], options: NormalizeOptions = {}): NormalizeReport {
  const o = { ...DEFAULTS, ...options };
  const pages = rawPages.map((p) => normalizeText(p).split('\n').map((l) => l.trim()));
  let removedHeaderFooterLines = 0;
  let removedPageNumbers = 0;

  if (pages.length >= 2) {
    const drop = pages.map(() => new Set<number>());
    for (let p = 0; p < pages.length; p++) {
      const lines = pages[p] as string[];
      for (const i of edgeIndices(lines, o.edgeLines)) {
        if (isPageNumberLine(lines[i] as string)) {
          drop[p]?.add(i);
          removedPageNumbers++;
        }
      }
    }
    if (pages.length >= o.minPagesForRepeats) {
      const pagesWithShape = new Map<string, number>();
      for (let p = 0; p < pages.length; p++) {
        const shapes = new Set(edgeIndices(pages[p] as string[], o.edgeLines).map((i) => lineShape((pages[p] as string[])[i] as string)));
        for (const s of shapes) if (s.length >= 2 && s.length <= MAX_HEADER_CHARS) pagesWithShape.set(s, (pagesWithShape.get(s) ?? 0) + 1);
      }
      const needed = Math.max(2, Math.ceil(pages.length * o.repeatShare));
      for (let p = 0; p < pages.length; p++) {
        const lines = pages[p] as string[];
        for (const i of edgeIndices(lines, o.edgeLines)) {
          if (drop[p]?.has(i)) continue;
          if ((pagesWithShape.get(lineShape(lines[i] as string)) ?? 0) >= needed) {
            drop[p]?.add(i);
            removedHeaderFooterLines++;
          }
        }
      }
    }
    for (let p = 0; p < pages.length; p++) {
      const d = drop[p] as Set<number>;
      if (d.size) pages[p] = (pages[p] as string[]).filter((_l, i) => !d.has(i));
    }
  }

  let joinedLines = 0;
  const out = pages.map((lines) => {
    const r = repairLineBreaks(lines, o.fullLineShare);
    joinedLines += r.joined;
    return r.text;
  });
  return { pages: out, removedHeaderFooterLines, removedPageNumbers, joinedLines };
}

/** Length that counts as a "full" line on this page: the 80th percentile of non-empty line lengths. */
function fullLineLength(lines: string[]): number {
  const lens = lines.filter((l) => l.length > 0).map((l) => l.length).sort((a, b) => a - b);
  if (lens.length === 0) return 0;
  return lens[Math.floor((lens.length - 1) * 0.8)] as number;
}

function repairLineBreaks(lines: string[], fullShare: number): { text: string; joined: number } {
  const full = fullLineLength(lines);
  const parts: string[] = [];
  let joined = 0;
  let prevBlank = true;
  let prevLen = 0;
  for (const line of lines) {
    if (line.length === 0) {
      if (!prevBlank) parts.push('\n');
      prevBlank = true;
      continue;
    }
    if (parts.length === 0 || prevBlank) {
      if (parts.length > 0) parts.push('\n');
      parts.push(line);
      prevBlank = false;
      prevLen = line.length;
      continue;
    }
    const prev = parts[parts.length - 1] as string;
    const sep = joinSeparator(prev, prevLen, line, full * fullShare);
    if (sep === null) {
      parts.push('\n', line);
    } else {
      joined++;
      parts[parts.length - 1] = sep === '-' ? prev.slice(0, -1) + line : prev + sep + line;
    }
    prevBlank = false;
    prevLen = line.length;
  }
  return { text: parts.join(''), joined };
}

/** '' (join), ' ' (join with space), '-' (drop the hyphen and join), or null (keep the break). */
function joinSeparator(prev: string, lastLineLen: number, next: string, minFull: number): '' | ' ' | '-' | null {
  const lc = prev[prev.length - 1] as string;
  const fc = next[0] as string;
  const lcc = lc.charCodeAt(0);
  const fcc = fc.charCodeAt(0);
  // English: "inter-\nnational" → "international"
  if (lc === '-' && prev.length >= 2 && /[A-Za-z]/.test(prev[prev.length - 2] as string) && isLower(fcc)) return '-';
  // Chinese: a line that fills the width and does not end a sentence continues on the next line.
  const hanAtBoundary = isHan(lcc) || isHan(fcc);
  if (hanAtBoundary && !ZH_TERMINAL.has(lc) && lastLineLen >= Math.max(8, minFull)) {
    const lcOk = isHan(lcc) || ZH_JOINABLE_END.has(lc) || /[A-Za-z0-9%)]/.test(lc);
    const fcOk = isHan(fcc) || ZH_JOINABLE_START.has(fc) || /[A-Za-z0-9(]/.test(fc);
    if (lcOk && fcOk) return '';
  }
  // English: a long line that continues in lower case.
  if (/[A-Za-z0-9,;)]/.test(lc) && isLower(fcc) && lastLineLen >= Math.max(20, minFull * 0.8)) return ' ';
  return null;
}
