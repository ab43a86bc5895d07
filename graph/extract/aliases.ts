/** Alias links stated by the corpus: 以下简称, 英伟达（NVIDIA）, Acme Robotics Co., Ltd. ("Acme"). */
import { hasHan, hasLatin, nameKey } from '../internal/normalize.js';
import type { CompiledPack } from './internal/compile.js';
import { WELL_KNOWN_ORGANIZATIONS } from './internal/gazetteer.js';
import { phraseBackwardZh, tagSentence } from './internal/sentences.js';
import type { AliasLink, SentenceCtx } from './types.js';

const ABBREV = /\((?:以下|下文)?(?:简称|下称|称)[:：]?\s*["“「『]?(?<short>[^"”」』()]{1,30}?)["”」』]?\)|\((?:hereinafter|hereafter)?\s*(?:referred to as\s*|called\s*)?(?:the\s+)?["“](?<shorten>[^"”]{1,40})["”]\)/gu;
const PAREN = /\((?<alt>[^()"“”]{2,40})\)/gu;
/** A name in the other script and a quoted short name: Qingyu Vision Technology Co., Ltd. (青屿视觉科技有限公司, "Qingyu Vision"). */
const PAREN_LIST = /\((?<alt>[^()"“”,;]{2,40})[,;]\s*["“](?<short>[^"”()]{1,40})["”]\)/gu;
const CLAUSE_ALT = /^(?:位于|地处|坐落|总部|设在|设于|成立|创立|创办|隶属|属于|由|于|在|为|是|系|现为)/u;
const WELL_KNOWN = new Set(WELL_KNOWN_ORGANIZATIONS);
const GENERIC = new Set(['company', 'thecompany', 'group', 'thegroup', '公司', '本公司', '集团', '本集团', '发行人']);

function fullBefore(ctx: SentenceCtx, cp: CompiledPack, at: number): { text: string; type?: string } | undefined {
  let end = at;
  while (end > 0 && /\s/.test(ctx.match[end - 1]!)) end--;
  const m = ctx.mentions.filter((x) => x.end === end).sort((a, b) => a.start - b.start)[0];
  if (m) return { text: m.text, type: m.type };
  const phrase = phraseBackwardZh(ctx, 0, end, cp.stopZh, 20, 4);
  return phrase ? { text: ctx.surface.slice(phrase[0], phrase[1]) } : undefined;
}

/**
 * 席尔霍尔茨(Stephanie Schierhol): an untyped Chinese name glossed by a given name and a family
 * name is a person; an organization's gloss carries its head word (Foundation, Council …) or is one word.
 */
function personByEnglishForm(full: string, alt: string): string | undefined {
  if (!hasHan(full) || /(?:公司|集团|大学|学院|银行|医院|局|会|中心|所|院|部|站|网|室)$/u.test(full)) return undefined;
  return /^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}$/u.test(alt) && !/\b(?:Foundation|Council|Organization|University|Center|Centre|Institute|Agency|Group|Company|Bank|Station|Laboratory|Lab)\b/u.test(alt) ? 'Person' : undefined;
}

const NAME_SUFFIX = /(?:公司|集团|大学|学院|银行|医院|局|会|中心|所|院|部|站|网|室|社|厂|馆)$/u;

/**
 * 工具(GNOME), 系统(Python), 使用超文本传输协议(HTTP): a common noun, or a clause opening with a
 * verb, glossed by a Latin name is a category or a description of the name, not another name for it
 * (well-known names — 苹果, 百度 — and names with an organisation suffix stay).
 */
function commonWordOrClause(full: string): boolean {
  if (WELL_KNOWN.has(full) || NAME_SUFFIX.test(full)) return false;
  const toks = tagSentence(full);
  if (toks.length === 0) return false;
  if (/^(?:v|p|d|c)/u.test(toks[0]!.tag)) return true;
  return toks.length === 1 && /^(?:n|vn|v|a|an|nz|ad|d)$/u.test(toks[0]!.tag);
}

function acronymOf(full: string, short: string): boolean {
  const initials = full.split(/[\s-]+/).filter((w) => /^[A-Z]/.test(w)).map((w) => w[0]).join('');
  return short.length >= 2 && initials.startsWith(short.toUpperCase());
}

export function detectAliases(ctx: SentenceCtx, cp: CompiledPack): AliasLink[] {
  const out: AliasLink[] = [];
  const taken = new Set<number>();
  for (const m of ctx.match.matchAll(ABBREV)) {
    const short = (m.groups?.short ?? m.groups?.shorten ?? '').trim();
    const full = fullBefore(ctx, cp, m.index);
    taken.add(m.index);
    if (!full || !short || GENERIC.has(nameKey(short)) || nameKey(short) === nameKey(full.text)) continue;
    const s0 = m.index + m[0].indexOf(short);
    out.push({ full: full.text, short: ctx.surface.slice(s0, s0 + short.length), type: full.type, rule: 'abbreviation', sentence: ctx });
  }
  for (const m of ctx.match.matchAll(PAREN_LIST)) {
    const full = fullBefore(ctx, cp, m.index);
    taken.add(m.index);
    if (!full) continue;
    const alt = m.groups!.alt!.trim();
    const short = m.groups!.short!.trim();
    const at = (x: string) => { const s0 = m.index + m[0].indexOf(x); return ctx.surface.slice(s0, s0 + x.length); };
    if (hasHan(full.text) !== hasHan(alt)) out.push({ full: full.text, short: at(alt), type: full.type, rule: 'parenthetical', sentence: ctx });
    if (!GENERIC.has(nameKey(short)) && nameKey(short) !== nameKey(full.text)) out.push({ full: full.text, short: at(short), type: full.type, rule: 'abbreviation', sentence: ctx });
  }
  for (const m of ctx.match.matchAll(PAREN)) {
    if (taken.has(m.index)) continue;
    const alt = m.groups!.alt!.trim();
    // "(位于法国)", "(总部设在伦敦)": a clause in brackets says something about the name, it is no other name for it.
    if (/^\d|^(?:简称|以下|即|含|包括|约|注|see|e\.g\.|i\.e\.)/u.test(alt) || CLAUSE_ALT.test(alt) || GENERIC.has(nameKey(alt))) continue;
    const full = fullBefore(ctx, cp, m.index);
    if (!full) continue;
    const s0 = m.index + m[0].indexOf(alt);
    const altSurface = ctx.surface.slice(s0, s0 + alt.length);
    const crossScript = (hasHan(full.text) && !hasHan(alt) && hasLatin(alt)) || (!hasHan(full.text) && hasHan(alt));
    // 自由软件(free software), 自认喝醉(think-drink): a lower-case gloss translates a term; only a name is glossed by a name.
    if (crossScript && !full.type && !/[A-Z]/u.test(alt) && !hasHan(alt)) continue;
    if (crossScript && hasHan(full.text) && commonWordOrClause(full.text)) continue;
    // DVCS(历史), Linux(内核): a Chinese common word after a Latin name glosses or heads a topic; it is no other name.
    if (crossScript && !hasHan(full.text) && commonWordOrClause(altSurface)) continue;
    if (crossScript) {
      out.push({ full: full.text, short: altSurface, type: full.type ?? personByEnglishForm(full.text, alt), rule: 'parenthetical', sentence: ctx });
    } else if (!hasHan(full.text) && (nameKey(full.text).startsWith(nameKey(alt)) || acronymOf(full.text, alt)) && nameKey(alt).length >= 2) {
      out.push({ full: full.text, short: altSurface, type: full.type, rule: 'parenthetical-short', sentence: ctx });
    }
  }
  return out;
}
