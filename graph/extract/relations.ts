/** Facts from the pack's trigger patterns: subject/object groups snapped to typed mentions. */
import type { RelationType } from '../../configs/industry-pack.js';
import { hasHan, nameKey } from '../internal/normalize.js';
import type { CompiledPack } from './internal/compile.js';
import { looksLikeChineseName } from './internal/names.js';
import { phraseForwardEn, phraseForwardZh } from './internal/sentences.js';
import type { Mention, RawFact, SentenceCtx } from './types.js';

/** The most recent typed mention before `pos` (this sentence, then earlier sentences of the chunk). */
export type Salience = (types: string[], ctx: SentenceCtx, pos: number) => Mention | undefined;

export interface Picked {
  text: string;
  type?: string;
  factor: number;
  span?: [number, number];
  /** The type is the relation's, not the mention's. */
  inferred?: boolean;
  /** Not a detected name: a phrase cut from the clause after the trigger. */
  phrase?: boolean;
}

export const typeOk = (type: string | undefined, allowed: string[]): boolean => type === undefined || allowed.includes(type);

/** How far (characters) after its trigger a single object may start. */
const OBJECT_REACH = 16;
const PHRASE_TYPES = new Set(['Concept', 'Part', 'Person', 'Location', 'Product']);
const LOWER_LATIN = /^[a-z][a-z0-9 .\-/]*$/u;
const NAMED_TYPES = new Set(['Person', 'Location', 'Product', 'Organization']);
const GENERIC_PHRASE = /^(?:新|该|这|此|其|那|一款|一个|多款|多个|全新|最新|更多|相关)|^(?:产品|模型|大模型|版本|系统|服务|功能|技术|方案|平台)$/u;
const LIST_SEP = /、|,|;|以及|和|及|与|(?:,\s*)?\band\b|\bor\b|&/gu;

/**
 * Typed mentions before untyped ones; a name followed by 的 modifies another noun ("Y是星河精工的子公司，
 * 位于荷兰": the subsidiary is in the Netherlands), so it comes last.
 */
function rankSubject(ctx: SentenceCtx, m: Mention): number {
  return (m.type !== undefined ? 2 : 0) + (/^\s*的/u.test(ctx.match.slice(m.end, m.end + 2)) ? 0 : 1);
}

function pickSubject(ctx: SentenceCtx, gs: number, ge: number, rel: RelationType, cp: CompiledPack, salient: Salience): Picked | undefined {
  // The nearest mention of an allowed type, else the nearest untyped one: in "青屿视觉总部位于青屿市，成立于…"
  // the typed organization is the subject, not the untyped place name next to the trigger.
  // A trigger right after a comma opens a clause whose subject is the sentence's topic, its first name
  // ("B.V.是星河精工的子公司，位于荷兰鹿特丹，负责欧洲市场": the B.V. is responsible, not 鹿特丹).
  const topic = /[,;]\s*$/u.test(ctx.match.slice(gs, ge));
  const c = ctx.mentions
    .filter((m) => m.start < ge && m.end > gs && typeOk(m.type, rel.subjectTypes))
    .sort((a, b) => rankSubject(ctx, b) - rankSubject(ctx, a) || (topic ? a.start - b.start : b.end - a.end) || (b.end - b.start) - (a.end - a.start))[0];
  // 字节跳动旗下火山引擎发布…: the unit after 旗下 is the subject, never the parent.
  if (c && /^\s*旗下/u.test(ctx.match.slice(c.end))) return undefined;
  if (c) return { text: c.text, type: c.type ?? rel.subjectTypes[0], factor: c.type ? 1 : 0.95, span: [c.start, c.end], inferred: !c.type };
  let rest = ctx.match.slice(gs, ge).trim();
  for (const p of [...cp.pronounsZh, ...cp.pronounsEn]) if (rest.endsWith(p)) rest = rest.slice(0, -p.length).trim();
  for (const w of cp.stopZh) rest = rest.split(w).join('');
  if (rest.replace(/[\s,.:]/g, '').length > 0) return undefined;
  const s = salient(rel.subjectTypes, ctx, gs);
  return s ? { text: s.text, type: s.type ?? rel.subjectTypes[0], factor: 0.85 } : undefined;
}

function objectInRange(ctx: SentenceCtx, gs: number, ge: number, rel: RelationType, cp: CompiledPack, avoid: [number, number] | undefined, all: boolean): Picked[] {
  // A single object follows its trigger closely; one far down the clause belongs to another verb.
  const reach = all ? Infinity : gs + OBJECT_REACH;
  const cands = ctx.mentions
    .filter((m) => m.start >= gs - 1 && m.end <= ge + 1 && m.end > gs && m.start <= reach && typeOk(m.type, rel.objectTypes))
    .filter((m) => !avoid || m.end <= avoid[0] || m.start >= avoid[1])
    // "龙湖位于厦门的春江彼岸项目": a place followed by 的 and a noun locates that noun, not the subject.
    .filter((m) => !(rel.name === 'LOCATED_IN' && /^\s*的\p{Script=Han}/u.test(ctx.match.slice(m.end, m.end + 3))));
  if (cands.length > 0) {
    // An untyped name may stand for a phrase type (Concept, Product …), never for a type that must be recognised (Organization, Certification).
    // A lower-case Latin word (contrib, non-free) is no name of a person or place.
    const usable = cands.filter((m) => m.type !== undefined || (rel.objectTypes.some((t) => PHRASE_TYPES.has(t)) && !(LOWER_LATIN.test(m.text) && rel.objectTypes.every((t) => NAMED_TYPES.has(t))) && !(hasHan(m.text) && GENERIC_PHRASE.test(m.text))));
    return (all ? usable : usable.slice(0, 1)).map((m) => ({ text: m.text, type: m.type ?? rel.objectTypes.find((t) => PHRASE_TYPES.has(t)) ?? rel.objectTypes[0], factor: m.type ? 1 : 0.95, inferred: !m.type }));
  }
  // Names of organizations and certifications must be detected; only other types fall back to a phrase.
  if (!rel.objectTypes.some((t) => PHRASE_TYPES.has(t))) return [];
  const zh = hasHan(ctx.match.slice(gs, ge));
  const maxChars = rel.objectTypes.includes('Person') ? 4 : 12;
  const phrase = (from: number) => (zh ? phraseForwardZh(ctx, from, ge, cp.stopZh, maxChars) : phraseForwardEn(ctx.match, from, ge));
  let span = phrase(gs);
  // A phrase must not swallow a name of another type ("星辰精密的海外业务" → 海外业务).
  const clash = span && ctx.mentions.find((m) => m.start < span![1] && m.end > span![0]);
  if (clash) span = phrase(clash.end);
  if (!span || ctx.mentions.some((m) => m.start < span![1] && m.end > span![0])) return [];
  // A list item is the whole item: jieba mis-tags a head noun now and then (相机/d in "工业相机").
  const rest = ctx.match.slice(span[1], ge).trim();
  if (zh && all && /^\p{Script=Han}{1,4}$/u.test(rest) && !cp.stopZh.has(rest[0]!) && !cp.stopZh.has(rest)) span = [span[0], span[1] + ctx.match.slice(span[1], ge).indexOf(rest) + rest.length];
  // "负责调查宇航员健康状况的独立小组": a phrase followed by 的 modifies a noun; the verb is no predicate.
  if (zh && /^\s*的/u.test(ctx.match.slice(span[1], span[1] + 2))) return [];
  // "a proof of the power of dreams", "a member of a group": a noun governing "of" is no category or thing.
  if (!zh && /^\s+of\b/u.test(ctx.match.slice(span[1], span[1] + 4))) return [];
  const text = ctx.surface.slice(span[0], span[1]);
  const type = rel.objectTypes.find((t) => cp.entityTypes.has(t)) ?? rel.objectTypes[0];
  // English names of people, places and products are capitalized or carry a code ("milestones" is no product).
  if (!zh && NAMED_TYPES.has(type ?? '') && !/^[A-Z0-9]|\d/.test(text)) return [];
  if (cp.stopZh.has(text) || cp.stopEn.has(text) || [...cp.pronounsZh, ...cp.pronounsEn].includes(text)) return [];
  // 新模型, 该产品, 一款大模型: a phrase that only describes names nothing.
  if (zh && GENERIC_PHRASE.test(text)) return [];
  // 会上, 此前: a phrase stands for a person only in the shape of a Chinese personal name.
  if (zh && type === 'Person' && !looksLikeChineseName(text)) return [];
  return [{ text, type, factor: 0.85, inferred: true, phrase: true }];
}

function pickObjects(ctx: SentenceCtx, gs: number, ge: number, rel: RelationType, cp: CompiledPack, avoid?: [number, number]): Picked[] {
  if (!rel.multiObject) return objectInRange(ctx, gs, ge, rel, cp, avoid, false);
  const out: Picked[] = [];
  let s = gs;
  const group = ctx.match.slice(gs, ge);
  const cuts = [...group.matchAll(LIST_SEP)].map((m) => [gs + m.index, gs + m.index + m[0].length] as const);
  for (const [a, b] of [...cuts, [ge, ge] as const]) {
    if (a > s) out.push(...objectInRange(ctx, s, a, rel, cp, avoid, true));
    s = b;
  }
  return out;
}

const CURRENCY = /[元$¥￥€]|USD|RMB|EUR|dollar|euro|yuan/iu;

/** Literal objects (money, years) found at the start of the object group. */
export function pickLiteral(ctx: SentenceCtx, gs: number, ge: number, types: string[], cp: CompiledPack): Picked | undefined {
  let best: { at: number; text: string; type: string } | undefined;
  for (const t of types) {
    for (const re0 of cp.literalPatterns.get(t) ?? []) {
      const re = new RegExp(re0.source, 'gu');
      re.lastIndex = gs;
      for (let m = re.exec(ctx.match); m && m.index < ge && m.index - gs <= 6; m = re.exec(ctx.match)) {
        if (m[0].length === 0) { re.lastIndex++; continue; }
        if (t === 'Money' && !CURRENCY.test(m[0])) continue;
        if (!best || m.index < best.at) best = { at: m.index, text: ctx.surface.slice(m.index, m.index + m[0].length), type: t };
        break;
      }
    }
    if (types.includes('Text') && !best) {
      const text = ctx.surface.slice(gs, ge).trim();
      if (text) best = { at: gs, text, type: 'Text' };
    }
  }
  return best ? { text: canonicalLiteral(best.text, best.type), type: best.type, factor: 1 } : undefined;
}

export function canonicalLiteral(text: string, type: string): string {
  let t = text.trim().replace(/^(?:约|为|是)/u, '').trim();
  if (type === 'Year') t = t.replace(/^(\d{4})年$/u, '$1');
  return t;
}

/** A question states nothing ("Who runs Xinghe today?", "星河精工成立于哪一年？"). */
const QUESTION = /[?？]\s*["”」』)]*\s*$/u;
const ZH_PASSIVE = /被\s*$/u;
/** Words between a subject and its verb that make the statement future or hedged (GUIDELINE §1). */
const HEDGE = /将|拟|计划|预计|即将|有望|可能|准备|打算|\b(?:will|plans? to|intends? to|is expected to|may|might|could)\b/iu;
/** A negation between subject and object denies the statement ("X不是一家上市公司", "X is not a bank"). */
const NEGATION = /不是|不再|不属于|并非|并不|从未|没有|\b(?:not|never|no longer)\b/iu;

/**
 * Whether the trigger between the groups is a predicate: not inside a name ("星辰精密制造有限公司"
 * is no PRODUCES statement), not a passive the pattern does not expect ("X被收购后并入Y"), and not a
 * verb used as a modifier after 的 ("星河精工的生产基地" is no PRODUCES statement).
 */
function triggerIsPredicate(ctx: SentenceCtx, re: RegExp, sg: [number, number], og: [number, number]): boolean {
  const [ts, te] = sg[1] <= og[0] ? [sg[1], og[0]] : [og[1], sg[0]];
  if (ctx.mentions.some((x) => x.start < Math.max(te, ts + 1) && x.end > ts)) return false;
  if (sg[1] <= og[0]) {
    const before = ctx.match.slice(sg[0], sg[1]);
    if (!re.source.includes('被') && (ZH_PASSIVE.test(before) || /^\s*被/u.test(ctx.match.slice(ts, te)))) return false;
    if (/的\s*$/u.test(before)) return false;
  }
  return true;
}

/**
 * A table row run together by PDF extraction ("HKSCC NOMINEES LIMITED 1,227,261,708 境外上市外资股 …"):
 * numbers make up much of it. Its cells are no clause, so no trigger pattern reads it.
 */
export function isTableLike(text: string): boolean {
  const nums = [...text.matchAll(/(?<![A-Za-z0-9-])-?\d[\d,]*(?:\.\d+)?%?/gu)].filter((m) => m[0].length >= 3);
  if (nums.length < 4) return false;
  const dense = text.replace(/\s+/gu, '');
  return nums.reduce((n, m) => n + m[0].length, 0) / Math.max(1, dense.length) >= 0.25;
}

export function extractPatternFacts(ctx: SentenceCtx, cp: CompiledPack, salient: Salience): RawFact[] {
  const out: RawFact[] = [];
  if (QUESTION.test(ctx.match) || isTableLike(ctx.match)) return out;
  for (const { rel, patterns, literal } of cp.relations) {
    for (const re of patterns) {
      for (const m of ctx.match.matchAll(re)) {
        const gi = m.indices?.groups;
        const sg = gi?.subj;
        const og = gi?.obj;
        if (!sg || !og) continue;
        if (!triggerIsPredicate(ctx, re, sg, og)) continue;
        const subj = pickSubject(ctx, sg[0], sg[1], rel, cp, salient);
        if (!subj) continue;
        // 百川智能将发布新模型, "X plans to launch Y": a future or hedged statement is no fact.
        if (subj.span && HEDGE.test(ctx.match.slice(subj.span[1], Math.max(subj.span[1], og[0])))) continue;
        if (subj.span && NEGATION.test(ctx.match.slice(subj.span[1], Math.max(subj.span[1], og[0])))) continue;
        const objs = literal ? [pickLiteral(ctx, og[0], og[1], rel.objectTypes, cp)].filter((x): x is Picked => !!x) : pickObjects(ctx, og[0], og[1], rel, cp, subj.span);
        for (const obj of objs) {
          if (nameKey(obj.text) === nameKey(subj.text) || !nameKey(obj.text)) continue;
          // An untyped subject with an object that is only a phrase of the clause: prose, not a
          // statement about an entity ("No Contributor … Your", "License is a further restriction").
          if (subj.inferred && obj.phrase) continue;
          out.push({
            subject: { text: subj.text, type: subj.type, inferred: subj.inferred },
            predicate: rel.name,
            object: { text: obj.text, type: obj.type, literal, inferred: obj.inferred },
            sentence: ctx,
            confidence: Math.min(1, rel.confidence * subj.factor * obj.factor),
            via: 'pattern',
          });
        }
      }
    }
  }
  return out;
}
