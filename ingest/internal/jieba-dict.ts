import { dict } from '@node-rs/jieba/dict.js';
import { Converter } from 'opencc-js';
import { isHan } from './chars.js';

/** Word frequencies of jieba's stock dictionary, parsed once on first use (~0.3 s). */
export interface DictStats {
  freq: Map<string, number>;
  total: number;
}

let stats: DictStats | undefined;

export function dictStats(): DictStats {
  if (stats) return stats;
  const text = Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8');
  const freq = new Map<string, number>();
  let total = 0;
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const sp2 = line.indexOf(' ', sp + 1);
    const f = Number(line.slice(sp + 1, sp2 < 0 ? undefined : sp2));
    if (!Number.isFinite(f)) continue;
    freq.set(line.slice(0, sp), f);
    total += f;
  }
  stats = { freq, total };
  return stats;
}

let common: Set<number> | undefined;

/**
 * The ~1500 most frequent Han characters of the stock dictionary (weighted by word frequency),
 * in simplified and traditional forms. Used to tell a right GB18030/Big5 decode from mojibake.
 */
export function commonHanzi(size = 1500): Set<number> {
  if (common) return common;
  const charFreq = new Map<string, number>();
  for (const [w, f] of dictStats().freq) {
    for (const ch of w) if (isHan(ch.charCodeAt(0))) charFreq.set(ch, (charFreq.get(ch) ?? 0) + f);
  }
  const top = [...charFreq.entries()].sort((a, b) => b[1] - a[1]).slice(0, size).map(([c]) => c).join('');
  const toTraditional = Converter({ from: 'cn', to: 'tw' });
  const set = new Set<number>();
  for (const ch of top + toTraditional(top)) set.add(ch.charCodeAt(0));
  common = set;
  return set;
}
