/**
 * Names that are not names (issue 14, GUIDELINE.md §7): a number or date, a Chinese name of one
 * character or over 25, a name opening or closing on a function word (的 了 于 … / the of and …), a
 * Chinese abstract noun (a generic head — 期 表 额 率 收入 利润 报告 情况 工作 负责人 … — without an
 * organisation or product suffix), English without a capital letter or with sentence punctuation,
 * and a name that never stands alone (every occurrence lies inside a longer name: 亚迪 of 比亚迪).
 * Such an entity is kept out of the graph's entity list and out of training pairs.
 */
import { WELL_KNOWN_ORGANIZATIONS } from './gazetteer.js';

const HAN = /\p{Script=Han}/u;
const WELL_KNOWN = new Set(WELL_KNOWN_ORGANIZATIONS);
/**
 * 的/了 at an edge always cut a clause; the other function characters also begin or end real names
 * (华为, 本田, 于敏, 和讯网), so they count only on longer names (a clause fragment: 索尼在, 于是决定); never on a person's name (王有为).
 */
const ZH_FUNCTION = /^[的了]|[的了]$/u;
const ZH_FUNCTION_START = /^[于在是及和与等为将对其该本所]/u;
const ZH_FUNCTION_END = /[于在是及和与等为将对其该所]$/u;
/** A lower-case function word opens the name (the Company's is a phrase; The Robert Gordon University is a name), or any closes it. */
const EN_FUNCTION = /^(?:the|of|and|in|for|to|a|an|by|with)\b|\b(?:the|of|and|in|for|to|a|an|by|with|The|Of|And|In|For|To|By|With)$/u;
const ZH_GENERIC_HEAD = /(?:期|表|额|率|费用|资产|负债|收入|利润|公告|情况|项目|报告|方面|问题|内容|部分|说明|事项|工作|人员|负责人)$/u;
const ZH_KEEP_SUFFIX = /(?:公司|集团|银行|大学|学院|局|院|所|会|中心|部|厅|委员会|基金|交易所|计划)$/u;

/** Why a name is not a name by its form alone, or undefined. */
export function junkNameReason(raw: string, type?: string): string | undefined {
  const name = raw.trim();
  if (!name) return 'empty';
  if (/^[\d\s.,%:/年月日号+−-]+$/u.test(name.normalize('NFKC'))) return 'number';
  if (HAN.test(name)) {
    const han = [...name].filter((c) => HAN.test(c)).length;
    if (han <= 1 || name.length > 25) return 'length';
    if (WELL_KNOWN.has(name)) return undefined;
    if (ZH_FUNCTION.test(name) || (type !== 'Person' && han >= 4 && ZH_FUNCTION_START.test(name) && !ZH_KEEP_SUFFIX.test(name)) || (type !== 'Person' && han >= 3 && ZH_FUNCTION_END.test(name))) return 'function-word';
    if (ZH_GENERIC_HEAD.test(name) && !ZH_KEEP_SUFFIX.test(name)) return 'generic';
    return undefined;
  }
  if (/[;!?。；！？:：\n]/u.test(name)) return 'punctuation';
  if (EN_FUNCTION.test(name)) return 'function-word';
  // A domain or versioned name (debian.ch, gpt-4o) is a name in lower case.
  if (!/[A-Z]/u.test(name) && !/\w\.\w|\d/u.test(name)) return 'generic';
  return undefined;
}

const squeeze = (x: string) => x.replace(/\s+/gu, '');

/**
 * Whether `name` never stands alone in `texts`: it occurs, and every occurrence lies inside an
 * occurrence of one of `longer` (names that contain it). Whitespace is ignored (table cells wrap names).
 */
export function onlyInsideLonger(name: string, longer: string[], texts: string[]): boolean {
  const n = squeeze(name);
  const ls = longer.map(squeeze).filter((l) => l !== n && l.includes(n));
  if (!n || ls.length === 0) return false;
  let seen = false;
  for (const raw of texts) {
    const text = squeeze(raw);
    const covered: Array<[number, number]> = [];
    for (const l of ls) for (let i = text.indexOf(l); i >= 0; i = text.indexOf(l, i + 1)) covered.push([i, i + l.length]);
    for (let i = text.indexOf(n); i >= 0; i = text.indexOf(n, i + 1)) {
      seen = true;
      if (!covered.some(([s, e]) => s <= i && i + n.length <= e)) return false;
    }
  }
  return seen;
}
