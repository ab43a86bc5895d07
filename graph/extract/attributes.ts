/** Facts from "键：值" attribute lines and table rows (| 型号 | 售价 | or tab-separated). */
import type { AttributeKey } from '../../configs/industry-pack.js';
import type { ChunkRecord } from '../../ingest/index.js';
import { foldWidth } from '../internal/normalize.js';
import type { CompiledPack } from './internal/compile.js';
import { lexKey } from './internal/compile.js';
import { spanCtx } from './internal/sentences.js';
import { canonicalLiteral, pickLiteral, typeOk } from './relations.js';
import type { Mention, RawFact, SentenceCtx } from './types.js';

export type Detect = (ctx: SentenceCtx) => Mention[];

interface Line { s: number; e: number; text: string }

function linesOf(chunk: ChunkRecord): Line[] {
  const out: Line[] = [];
  let s = 0;
  for (const part of chunk.text.split('\n')) {
    const e = s + part.length;
    const lead = part.length - part.trimStart().length;
    const text = foldWidth(part.trim());
    if (text) out.push({ s: s + lead, e: s + lead + part.trim().length, text });
    s = e + 1;
  }
  return out;
}

const KV = /^(?<k>[^:|\t]{1,16}?)\s*:\s*(?<v>[^\n]{1,200})$/u;
const CONF_KV = 0.8;
const CONF_TABLE = 0.75;

function valueFacts(subject: { text: string; type?: string }, key: AttributeKey, valueCtx: SentenceCtx, vs: number, ve: number, cp: CompiledPack, conf: number, via: RawFact['via']): RawFact[] {
  const rel = key.relation ? cp.relationByName.get(key.relation) : undefined;
  const raw = valueCtx.surface.slice(vs, ve).trim();
  if (!raw || raw === '-' || raw === '—') return [];
  const base = { subject, sentence: valueCtx, confidence: conf, via };
  if (!rel) return [{ ...base, predicate: `ATTR:${key.key}`, object: { text: raw, type: 'Text', literal: true } }];
  if (!typeOk(subject.type, rel.subjectTypes)) return [];
  const literalTypes = rel.objectTypes.filter((t) => cp.literalPatterns.has(t) || t === 'Text');
  if (literalTypes.length === rel.objectTypes.length) {
    const lit = pickLiteral(valueCtx, vs, ve, rel.objectTypes, cp);
    return lit ? [{ ...base, predicate: rel.name, object: { text: canonicalLiteral(lit.text, lit.type!), type: lit.type, literal: true } }] : [];
  }
  const inValue = valueCtx.mentions.filter((m) => m.start >= vs && m.end <= ve && typeOk(m.type, rel.objectTypes));
  const items = inValue.length > 0
    ? inValue.map((m) => ({ text: m.text, type: m.type ?? rel.objectTypes[0] }))
    : raw.split(/[、,;/]/u).map((t) => t.trim()).filter((t) => t.length >= 2 && t.length <= 30).map((text) => ({ text, type: rel.objectTypes[0] }));
  return items.map((o) => ({ ...base, predicate: rel.name, object: { text: o.text, type: o.type, literal: false } }));
}

function subjectFrom(ctx: SentenceCtx, from: number, to: number): { text: string; type?: string } | undefined {
  const m = ctx.mentions.find((x) => x.start >= from && x.end <= to && (x.type === undefined || x.type === 'Product' || x.type === 'Organization'));
  if (m) return { text: m.text, type: m.type };
  const t = ctx.surface.slice(from, to).trim();
  return t.length >= 2 && t.length <= 40 ? { text: t } : undefined;
}

function cellsOf(text: string): string[] | undefined {
  if (/^\|?[\s:|-]+\|?$/.test(text) && text.includes('-')) return undefined;
  if (text.includes('|')) return text.replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  if (text.includes('\t')) return text.split('\t').map((c) => c.trim());
  return undefined;
}

/** Attribute lines and tables of one chunk. */
export function extractAttributeFacts(chunk: ChunkRecord, cp: CompiledPack, detect: Detect): RawFact[] {
  const out: RawFact[] = [];
  const lines = linesOf(chunk);
  let blockSubject: { text: string; type?: string } | undefined;
  let heading: Line | undefined;
  let header: Array<AttributeKey | undefined> | undefined;
  for (const line of lines) {
    if (/^\|?[\s:|-]+\|?$/.test(line.text) && line.text.includes('-')) continue; // table rule
    const cells = cellsOf(line.text);
    if (cells && cells.length >= 2) {
      const keys = cells.map((c) => cp.attributes.get(lexKey(c)));
      if (keys.filter(Boolean).length >= 1 && (!header || keys.filter(Boolean).length >= cells.length - 1)) { header = keys; continue; }
      if (!header) continue;
      const ctx = spanCtx(chunk, line.s, line.e);
      ctx.mentions = detect(ctx);
      let offset = 0;
      const spans = cells.map((c) => { const at = ctx.surface.indexOf(c, offset); offset = at + c.length; return [at, at + c.length] as const; });
      const subjCol = Math.max(0, header.findIndex((k) => k?.identifies));
      const ss = spans[subjCol];
      if (!ss || ss[0] < 0) continue;
      const subject = subjectFrom(ctx, ss[0], ss[1]);
      if (!subject) continue;
      header.forEach((k, i) => {
        const sp = spans[i];
        if (k && !k.identifies && sp && sp[0] >= 0) out.push(...valueFacts(subject, k, ctx, sp[0], sp[1], cp, CONF_TABLE, 'table'));
      });
      continue;
    }
    header = undefined;
    const kv = KV.exec(line.text);
    const key = kv ? cp.attributes.get(lexKey(kv.groups!.k!)) : undefined;
    if (!kv || !key) { blockSubject = undefined; heading = line; continue; }
    const ctx = spanCtx(chunk, line.s, line.e);
    ctx.mentions = detect(ctx);
    const vs = line.text.length - kv.groups!.v!.length;
    if (key.identifies) { blockSubject = subjectFrom(ctx, vs, line.text.length); continue; }
    if (!blockSubject && heading) {
      const hctx = spanCtx(chunk, heading.s, heading.e);
      hctx.mentions = detect(hctx);
      const m = hctx.mentions.find((x) => x.type === 'Product' || x.type === 'Organization');
      if (m) blockSubject = { text: m.text, type: m.type };
    }
    if (blockSubject) out.push(...valueFacts(blockSubject, key, ctx, vs, line.text.length, cp, CONF_KV, 'attribute'));
  }
  return out;
}
