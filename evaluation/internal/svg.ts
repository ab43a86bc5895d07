/** Small helpers for hand-written SVG: escaping, number formatting, "nice" axis ticks. */

export const FONT = "'DejaVu Sans', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif";

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Coordinates with one decimal: enough for screens, short files. */
export function px(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** 1-2-5 steps: ticks that cover [lo, hi] with about `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 5): { min: number; max: number; step: number; ticks: number[] } {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { min, max, step, ticks };
}

/** Tick label: no trailing zeros, thousands with k. */
export function tickLabel(v: number, step: number): string {
  if (Math.abs(v) >= 10_000 && step >= 1000) return `${Number((v / 1000).toPrecision(6))}k`;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 6));
}

export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(FONT)}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    `</svg>`,
    '',
  ].join('\n');
}

/** Rough text width (px) for layout: CJK glyphs are about 1 em, Latin about 0.6 em. */
export function textWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]/u.test(ch) ? fontSize : fontSize * 0.6;
  return w;
}
