/**
 * Numbers stated in prose, attached to their subject with the attribute, unit and date
 * (issue 14): 国际空间站的造价高达1500亿美元, GPT-3拥有1750亿个参数, 该模型在MMLU上的得分为88.7分,
 * 2024年智谱营收达到3亿元, 运行速度达到了每小时27680公里. A number becomes a fact only when an
 * attribute word names it (造价, 营收, 参数量, 售价, 得分 …) and a unit or scale follows it; the subject
 * is the name right before the attribute (optionally joined by 的) — a recognised name, or a noun
 * phrase holding a proper noun. Anything looser (a bare number, a number without its attribute,
 * a subject further away) is not stated clearly enough to teach and is not extracted.
 */
import { GENERIC_LATIN, isBoilerplate, isGenericOrg, isPlaceName, PROPER_TAG } from './internal/names.js';
import { beatenScore } from './results.js';
import type { Mention, RawFact, SentenceCtx } from './types.js';

/** What a number in a sentence can be the value of; a modifier of up to four characters may precede it (运行速度, 年营收). */
const ATTR_HEAD = '造价|成本|总成本|营收|营业收入|收入|销售额|利润|净利润|亏损|估值|市值|售价|价格|定价|报价|收费|订阅费|月费|年费|参数量|参数规模|参数|得分|分数|评分|成绩|准确率|正确率|速度|时速|用户数|用户量|用户|员工数|员工|融资额|融资|投资额|销量|出货量|高度|长度|重量|容量|功率|上下文长度|上下文窗口|训练数据量|市场份额|份额|增长率|增速|人数';
const LINK = '(?:(?:已经?|均|也|再次|一举|一度|曾)?(?:高达|达到了?|达|约为|约|为|是|超过|超|突破|逾|近|将近|仅为|仅|已达|增至|升至|降至|提升至|合计|共计|共|总计))?';
const NUM = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
const SCALE = '(?:万亿|千亿|百亿|亿|千万|百万|万|千)?';
const UNIT = '(?:亿?美元|亿?元人民币|元|亿?港元|亿?欧元|亿?日元|亿?英镑|个参数|参数|分|公里|千米|米|小时|天|名|人|家|个|台|辆|次|%|倍|tokens?|[KkMB](?=\\s*(?:参数|tokens?|$|[，。,;；)）]))|Token)';
const PER = '(?:每(?<per>小时|秒|天|月|年))?';
/** A price per period or per amount written after the unit: 49元/月, 2美元/百万tokens. */
const SLASH_PER = String.raw`(?:\s*/\s*(?:月|年|天|次|人|小时|个|张|(?:百万|千|1M|1K)\s*tokens?|百万\s*Tokens?))?`;
/** A number with its unit, or with a scale word alone (参数量达1750亿), or bare after a score word (得分为88.7). */
const VALUE = `(?<value>${NUM}(?:多|余)?(?:${SCALE}\\s*${UNIT}${SLASH_PER}|(?:万亿|千亿|百亿|亿|千万|百万|万)(?![\\d.])))`;
const SCORE_HEAD = /^(?:得分|分数|评分|成绩|准确率|正确率)$/u;
/** ATTRIBUTE LINK (每小时)? VALUE; the subject and the attribute's modifier are read backwards from the head. */
const ATTR_VALUE = new RegExp(`(?<attr>${ATTR_HEAD})(?:\\s*${LINK}\\s*了?\\s*)${PER}\\s*(?:${VALUE}|(?<bare>\\d{1,3}(?:\\.\\d+)?)(?![\\d%A-Za-z]|[.,]\\d))`, 'gu');
/** SUBJECT 拥有/具有 1750亿个参数: a parameter count stated with a verb of having. */
const HAS_PARAMS = new RegExp(`(?:拥有|具有|具备|包含|含有|有)\\s*(?:约|超过|近)?\\s*(?<value>${NUM}${SCALE}\\s*(?:个)?(?:参数|parameters)|${NUM}\\s*[BMK]\\s*(?:个)?参数)`, 'gu');
/** 在MMLU测试中 / 在C-Eval基准上 / 在 HumanEval 上的: where a score was measured, right before the score word. */
const BENCHMARK_BEFORE = /(?:在|于)\s*(?<bench>[A-Za-z0-9][A-Za-z0-9 .+-]{0,20}?|\p{Script=Han}{2,8}?)\s*(?:基准测试|基准|测试|评测|测评|榜单|排行榜|考试)?\s*(?:中|上)\s*(?:的|获得了?|取得了?)?\s*$/u;

/** ，同比增长超过100% right after a value: the value's change. */
const GROWTH_AFTER = /^\s*[,，]\s*(?<cmp>同比|环比|较上年|较去年同期)?(?<dir>增长|下降|增加|减少)了?\s*(?:超过|约|近|逾)?\s*(?<pct>\d+(?:\.\d+)?%)/u;

/** MODEL在C-Eval上取得了91.2分(的成绩): the score a model got on a benchmark, the model right before 在. */
const SCORE_GOT = /(?:在|于)\s*(?<bench>[A-Za-z0-9][A-Za-z0-9 .+-]{0,20}?|\p{Script=Han}{2,8}?)\s*(?:基准测试|基准|测试|评测|测评|榜单|排行榜|考试)?\s*(?:中|上)\s*(?:取得|获得|拿到)了?\s*(?<value>\d{1,3}(?:\.\d+)?)\s*分/gu;

/** A date in the clause before the statement: 2024年, 2024年5月, 2024年第一季度. */
const DATE = /(?<date>(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|第[一二三四]季度|上半年|下半年|全年)?)/u;

const CONF_NAMED = 0.85;
const CONF_PHRASE = 0.8;
const SUBJECT_TYPES = new Set(['Organization', 'Product', 'Person', 'Location']);

/** The subject ending at `end`: a mention ending there, else a noun phrase with a proper noun (国际空间站, 悟道2.0). */
function subjectAt(ctx: SentenceCtx, end: number): { text: string; type?: string; confidence: number } | undefined {
  const m: Mention | undefined = ctx.mentions.find((x) => x.end === end);
  // Latin-script model names directly before the attribute (GPT-4o的得分, Qwen2.5-72B的参数量), whole even where a mention holds only their tail.
  const latin = /(?<![A-Za-z0-9.-])[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*$/u.exec(ctx.match.slice(Math.max(0, end - 40), end));
  // 该API的售价: a Latin word after a demonstrative is a common noun, not a name.
  if (latin && /[该这此其本]$/u.test(ctx.match.slice(0, end - latin[0].length))) return undefined;
  // API的价格, AI的得分: a Latin word for a kind of thing is no subject.
  if (latin && GENERIC_LATIN.test(latin[0])) return undefined;
  if (m && GENERIC_LATIN.test(m.text)) return undefined;
  if (latin && /\d|[A-Z]{2}/u.test(latin[0]) && (!m || end - m.start < latin[0].length)) {
    return { text: ctx.surface.slice(end - latin[0].length, end), confidence: CONF_NAMED };
  }
  if (m) return m.type === undefined || SUBJECT_TYPES.has(m.type) ? { text: m.text, type: m.type, confidence: CONF_NAMED } : undefined;
  let s = end;
  let proper = false;
  for (let i = ctx.tokens.length - 1; i >= 0; i--) {
    const t = ctx.tokens[i]!;
    if (t.end > s) continue;
    // Nouns only: a verb (运行), pronoun (其), number, time or localizer word ends the phrase.
    if (t.end < s || !/^\p{Script=Han}+$/u.test(t.word) || !/^(?:n|nr|nrfg|ns|nt|nz)$/u.test(t.tag) || end - t.start > 8) break;
    s = t.start;
    proper ||= PROPER_TAG.test(t.tag) || t.word.length >= 3;
  }
  const text = ctx.surface.slice(s, end);
  if (s === end || text.length < 3 || !proper || isGenericOrg(text) || isBoilerplate(text) || /^[这该此其本]/u.test(text)) return undefined;
  return { text, ...(isPlaceName(text) ? { type: 'Location' } : {}), confidence: CONF_PHRASE };
}

/** The last date (2024年, 2024年5月) in the clause before `at`: the date the statement belongs to. */
export function dateBefore(ctx: SentenceCtx, at: number): string {
  const clause = ctx.match.slice(0, at).split(/[。；;！？!?]/u).pop() ?? '';
  const all = [...clause.matchAll(new RegExp(DATE.source, 'gu'))];
  return all.length ? all[all.length - 1]!.groups!.date!.replace(/\s+/gu, '') : '';
}

function attrName(attr: string): string {
  return /^参数(?:规模)?$/u.test(attr) ? '参数量' : attr;
}

/**
 * Where the subject ends before an attribute head at `at`, and the attribute with its modifier:
 * X的造价 (the subject ends at 的), 谷歌营收 / 国际空间站运行速度 (a name or a segment boundary up to
 * four characters before the head; what lies between is the attribute's modifier).
 */
function subjectBefore(ctx: SentenceCtx, headAt: number, head: string): { subjectEnd: number; attr: string; date: string; subject: ReturnType<typeof subjectAt> } | undefined {
  // GLM-4在MMLU测试中得分86.5: the benchmark names the score, the subject stands before 在 (never the benchmark itself).
  const bench = BENCHMARK_BEFORE.exec(ctx.match.slice(Math.max(0, headAt - 30), headAt));
  if (bench) {
    const at = headAt - bench[0].length;
    const subject = subjectAt(ctx, at);
    return subject ? { subjectEnd: at, attr: `${bench.groups!.bench!.trim()}${head}`, date: '', subject } : undefined;
  }
  // A date between the subject and the attribute (智谱2024年营收) belongs to the value.
  const d = new RegExp(`${DATE.source}的?$`, 'u').exec(ctx.match.slice(Math.max(0, headAt - 16), headAt));
  const at = d ? headAt - d[0].length : headAt;
  const date = d ? d.groups!.date!.replace(/\s+/gu, '') : '';
  if (ctx.match[at - 1] === '的') {
    const subject = subjectAt(ctx, at - 1);
    return subject ? { subjectEnd: at - 1, attr: head, date, subject } : undefined;
  }
  for (let e = at; e >= Math.max(0, at - 4); e--) {
    if (e < at && !/^\p{Script=Han}+$/u.test(ctx.match.slice(e, at))) break;
    const boundary = e === at || ctx.mentions.some((m) => m.end === e) || ctx.tokens.some((t) => t.end === e);
    if (!boundary) continue;
    const subject = subjectAt(ctx, e);
    // X的运行速度: the modifier starts after 的.
    if (subject) return { subjectEnd: e, attr: d ? head : `${ctx.match.slice(e, at).replace(/^的/u, '')}${head}`, date, subject };
    // Kimi的付费版本售价: the subject ends before 的, the words after it modify the attribute.
    if (e < at && ctx.match[e - 1] === '的') {
      const owner = subjectAt(ctx, e - 1);
      if (owner) return { subjectEnd: e - 1, attr: `${ctx.match.slice(e, at)}${head}`, date, subject: owner };
    }
  }
  return undefined;
}

export function extractQuantityFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const push = (subj: NonNullable<ReturnType<typeof subjectAt>>, at: number, attr: string, value: string, date = '') => {
    out.push({
      subject: { text: subj.text, ...(subj.type ? { type: subj.type } : {}) },
      predicate: `ATTR:${date || dateBefore(ctx, at)}${attrName(attr)}`,
      object: { text: value.replace(/\s+/gu, ''), type: 'Text', literal: true },
      sentence: ctx,
      confidence: subj.confidence,
      via: 'pattern',
    });
  };
  const valueOf = (m: RegExpMatchArray) => (m.groups!.value ? ctx.surface.slice(m.index! + m[0].length - m.groups!.value.length, m.index! + m[0].length) : '');
  let lastSubject: ReturnType<typeof subjectAt>;
  for (const m of ctx.match.matchAll(ATTR_VALUE)) {
    const head = m.groups!.attr!;
    if (m.groups!.bare !== undefined && !SCORE_HEAD.test(head)) continue;
    let found = subjectBefore(ctx, m.index, head);
    // …的造价高达1500亿美元，而且…其运行速度达到了…: 其 stands for the subject already named with a number in this sentence.
    const pron = /其(?<mod>\p{Script=Han}{0,4})$/u.exec(ctx.match.slice(Math.max(0, m.index - 5), m.index));
    if (!found?.subject && pron && lastSubject) found = { subjectEnd: m.index, attr: `${pron.groups!.mod!}${head}`, date: '', subject: lastSubject };
    if (!found?.subject) continue;
    lastSubject = found.subject;
    const value = m.groups!.bare ?? valueOf(m);
    push(found.subject, found.subjectEnd, found.attr, `${value}${m.groups!.per ? `/${m.groups!.per}` : ''}`, found.date);
    // 营收约为3亿元，同比增长超过100%: the growth of the value just stated.
    const growth = GROWTH_AFTER.exec(ctx.match.slice(m.index + m[0].length));
    if (growth && !SCORE_HEAD.test(head)) push(found.subject, found.subjectEnd, `${found.attr}${growth.groups!.cmp!}${growth.groups!.dir!}`, growth.groups!.pct!, found.date);
    // …得分89.4，超过了GPT-4o的85.2: the beaten model's score on the same benchmark.
    if (SCORE_HEAD.test(head)) {
      const beaten = beatenScore(ctx, m.index + m[0].length, found.attr, found.subject.confidence);
      if (beaten) out.push(beaten);
    }
  }
  for (const m of ctx.match.matchAll(SCORE_GOT)) {
    const subject = subjectAt(ctx, m.index);
    if (subject) push(subject, m.index, `${m.groups!.bench!.trim()}得分`, `${m.groups!.value!}分`);
  }
  for (const m of ctx.match.matchAll(HAS_PARAMS)) {
    const subject = subjectAt(ctx, m.index);
    if (subject) push(subject, m.index, '参数量', valueOf(m));
  }
  return out;
}

/** When a named subject did something to a named object: 谷歌在2014年收购的…DeepMind, OpenAI于2024年5月发布了GPT-4o. */
const EVENT = /^\s*(?:\([^()]{1,12}\)\s*)?(?:于|在)?\s*(?<date>(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?)\s*(?:正式|首次|宣布|完成|成功)?(?<verb>发布|推出|收购|上线|开源|投资|成立)(?:了|的)?/u;
const CONF_EVENT = 0.85;
const DATE_FULL = String.raw`(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?`;
/** A date alone before the organization, opening the sentence: 2024年5月13日，OpenAI… */
const LEAD_DATE = new RegExp(`^\\s*(?:在|于)?\\s*(?<date>${DATE_FULL})\\s*[,，]?\\s*$`, 'u');
/** The verb right after the organization when the date opened the sentence. */
const LEAD_EVENT = /^\s*(?<date>)(?:正式|首次|宣布|完成|成功)?(?<verb>发布|推出|收购|上线|开源)(?:了|的)?/u;
/** PRODUCT于DATE(正式)发布: the product's release date. */
const PRODUCT_EVENT = new RegExp(`^\\s*(?:于|在)\\s*(?<date>${DATE_FULL})\\s*(?:正式|首次)?(?<verb>发布|推出|上线|开源)(?!会|者|方|平台)`, 'u');

export function extractEventDates(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const ms = ctx.mentions;
  for (let i = 0; i < ms.length; i++) {
    const s = ms[i]!;
    // GPT-4o于2024年5月发布: a product with its own release date.
    if (s.type === 'Product') {
      const p = PRODUCT_EVENT.exec(ctx.match.slice(s.end));
      if (p) out.push({ subject: { text: s.text, type: 'Product' }, predicate: `ATTR:${p.groups!.verb!}时间`, object: { text: p.groups!.date!.replace(/\s+/gu, ''), type: 'Text', literal: true }, sentence: ctx, confidence: CONF_EVENT, via: 'pattern' });
      continue;
    }
    if (s.type !== 'Organization') continue;
    // 2024年5月13日，OpenAI发布了GPT-4o: the date opens the sentence, the organization follows it.
    const lead = LEAD_DATE.exec(ctx.match.slice(0, s.start));
    const m = EVENT.exec(ctx.match.slice(s.end)) ?? (lead ? LEAD_EVENT.exec(ctx.match.slice(s.end)) : null);
    if (!m) continue;
    const date = m.groups!.date || lead?.groups!.date || '';
    if (!date) continue;
    // The object: the first product or organization within a short phrase after the verb (收购的人工智能公司DeepMind).
    const from = s.end + m[0].length;
    // An untyped Latin name released (发布Mistral Large) is the product released.
    const released = /^(?:发布|推出|上线|开源)$/u.test(m.groups!.verb!);
    const fits = (x: Mention) => x.type === 'Product' || x.type === 'Organization' || (released && x.type === undefined && /^[A-Z]/u.test(x.text));
    const o = ms.find((x) => x.start >= from && x.start - from <= 10 && fits(x) && !/[,.;。]/u.test(ctx.match.slice(from, x.start)));
    if (!o) continue;
    out.push({
      subject: { text: s.text, type: 'Organization' },
      predicate: `ATTR:${m.groups!.verb!}${o.text}时间`,
      object: { text: date.replace(/\s+/gu, ''), type: 'Text', literal: true },
      sentence: ctx,
      confidence: CONF_EVENT,
      via: 'pattern',
    });
  }
  return out;
}
