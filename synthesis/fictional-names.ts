import { streamFor } from './internal/prng.js';
import { normalizeKey, type Lang } from './internal/text.js';

const ZH_SYL = ['华', '瑞', '锦', '泰', '恒', '鼎', '昊', '晟', '嘉', '隆', '宏', '璟', '澜', '岚', '弈', '珩', '翊', '骁', '沐', '湛', '曜', '琨', '玑', '峤'];
const ZH_SURNAME = ['欧阳', '司徒', '诸葛', '上官', '皇甫', '慕容', '东方', '令狐', '尉迟', '公孙'];
const ZH_SUFFIX: Record<string, string[]> = {
  company: ['科技有限公司', '电子股份有限公司', '智能装备有限公司', '实业集团', '新材料有限公司'],
  organization: ['研究院', '产业联盟', '标准化协会', '检测中心'],
  location: ['市', '县', '新区', '港', '工业园'],
  product: ['K-', 'Q', 'X', 'M'],
  standard: ['GB/T ', 'T/', 'QB/'],
};
const EN_SYL1 = ['Vel', 'Tor', 'Qua', 'Zen', 'Mar', 'Bry', 'Kel', 'Osk', 'Dra', 'Lum', 'Nex', 'Vor', 'Sal', 'Tiv', 'Cor', 'Ald'];
const EN_SYL2 = ['ano', 'ix', 'ora', 'eth', 'une', 'ava', 'ire', 'oss', 'ant', 'elle', 'ovo', 'ury'];
const EN_FIRST = ['Alden', 'Briar', 'Corin', 'Dashiell', 'Evander', 'Fenella', 'Galen', 'Isolde', 'Jorah', 'Leontyne'];
const EN_SUFFIX: Record<string, string[]> = {
  company: ['Dynamics', 'Systems', 'Industries', 'Labs', 'Holdings', 'Technologies'],
  organization: ['Institute', 'Alliance', 'Council', 'Foundation'],
  location: ['ville', 'ford', 'port', 'haven', 'field'],
};

function kindOf(type: string): string {
  const t = type.toLowerCase();
  if (/company|corp|firm|enterprise|business|supplier|manufacturer/.test(t)) return 'company';
  if (/org|institut|association|agency/.test(t)) return 'organization';
  if (/person|people|executive|ceo|human/.test(t)) return 'person';
  if (/loc|place|city|country|region|province|site/.test(t)) return 'location';
  if (/product|model|device|component|part|battery|item/.test(t)) return 'product';
  if (/standard|certif|spec/.test(t)) return 'standard';
  return 'other';
}

function oneName(next: () => number, type: string, noun: string, lang: Lang): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const num = () => String(100 + Math.floor(next() * 900));
  const kind = kindOf(type);
  if (lang === 'zh') {
    const core = pick(ZH_SYL) + pick(ZH_SYL);
    switch (kind) {
      case 'person':
        return pick(ZH_SURNAME) + pick(ZH_SYL) + pick(ZH_SYL);
      case 'product':
        return `${core}${pick(ZH_SUFFIX.product as string[])}${num()}`;
      case 'standard':
        return `${pick(ZH_SUFFIX.standard as string[])}${num()}${Math.floor(next() * 90) + 10}-20${Math.floor(next() * 20) + 10}`;
      case 'other':
        return `${core}${noun}`;
      default:
        return core + pick(ZH_SUFFIX[kind] as string[]);
    }
  }
  const core = pick(EN_SYL1) + pick(EN_SYL2);
  switch (kind) {
    case 'person':
      return `${pick(EN_FIRST)} ${pick(EN_SYL1)}${pick(EN_SYL2)}`;
    case 'product':
      return `${core} ${pick(['X', 'Q', 'Pro ', 'K'])}${num()}`;
    case 'standard':
      return `${core.toUpperCase().slice(0, 3)} ${num()}${Math.floor(next() * 9)}`;
    case 'location':
      return core + pick(EN_SUFFIX.location as string[]);
    case 'other':
      return `${core} ${noun.replace(/^./, (c) => c.toUpperCase())}`;
    default:
      return `${core} ${pick(EN_SUFFIX[kind] as string[])}`;
  }
}

/**
 * Makes names for entities that do not exist: each is checked against every name and alias in
 * the snapshot — not equal, and neither contains the other — and against names already made.
 */
export class FictionalNames {
  private readonly used = new Set<string>();
  private readonly known: string[];

  /** `texts`: normalised corpus sentences; a name found in one is not absent. */
  constructor(private readonly nameKeys: ReadonlySet<string>, private readonly texts: readonly string[] = []) {
    this.known = [...nameKeys].filter((k) => k.length >= 2);
  }

  /** A fresh absent name, or undefined if 50 attempts all collided. */
  make(seed: number, key: string, type: string, noun: string, lang: Lang): string | undefined {
    const next = streamFor(seed, `fictional|${key}`);
    for (let attempt = 0; attempt < 50; attempt++) {
      const name = oneName(next, type, noun, lang);
      if (this.isAbsent(name)) {
        this.used.add(normalizeKey(name));
        return name;
      }
    }
    return undefined;
  }

  isAbsent(name: string): boolean {
    const k = normalizeKey(name);
    if (this.used.has(k) || this.nameKeys.has(k)) return false;
    return !this.known.some((n) => k.includes(n) || n.includes(k)) && !this.texts.some((t) => t.includes(k));
  }
}

const CODE = /^([A-Za-z]+)([-‐ ]?)(\d+)([A-Za-z]*)$/;

/**
 * Names for entities that do not exist, in the corpus's OWN style (for unanswerable TEST questions,
 * so that they do not share the training refusals' made-up syllables): recombinations of the
 * corpus's names of the same type in the same script —
 * - model codes keep a real prefix and suffix with an unused number (XR-200, XR-80 → XR-500);
 * - Chinese names join the first two characters of one name to the rest of another
 *   (东岭特钢有限公司 + 安科伺服电机有限公司 → 东岭伺服电机有限公司);
 * - other names swap the first word (Xinghe Drive Technology + Qingyu Vision Technology → Qingyu Drive Technology).
 * A name is absent when it equals no name of the graph, is part of none, and contains no name of
 * the same type; names already made are not repeated.
 */
export class CorpusStyleNames {
  private readonly used = new Set<string>();
  private readonly known: string[];

  constructor(
    private readonly nameKeys: ReadonlySet<string>,
    /** Names (and aliases) of the graph's entities, per entity type. */
    private readonly byType: ReadonlyMap<string, readonly string[]>,
  ) {
    this.known = [...nameKeys].filter((k) => k.length >= 2);
  }

  /** A fresh absent name of `type` in `lang`'s script, or undefined when the corpus has too few names of that type to recombine. */
  make(seed: number, key: string, type: string, lang: Lang): string | undefined {
    const inScript = (n: string) => (lang === 'zh' ? /[\u4e00-\u9fff]/.test(n) : !/[\u4e00-\u9fff]/.test(n));
    const peers = [...new Set((this.byType.get(type) ?? []).filter(inScript))];
    if (peers.length === 0) return undefined;
    const next = streamFor(seed, `corpus-style|${key}`);
    const pick = (): string => peers[Math.floor(next() * peers.length)] as string;
    for (let attempt = 0; attempt < 50; attempt++) {
      const name = this.recombine(pick(), pick(), peers, next, lang);
      if (name !== undefined && this.isAbsent(name, peers)) {
        this.used.add(normalizeKey(name));
        return name;
      }
    }
    return undefined;
  }

  private recombine(a: string, b: string, peers: readonly string[], next: () => number, lang: Lang): string | undefined {
    const code = CODE.exec(a);
    if (code) {
      const [, prefix, dash, digits, suffix] = code as unknown as [string, string, string, string, string];
      const taken = new Set(peers.map((p) => CODE.exec(p)).filter((m) => m !== null && m[1] === prefix).map((m) => m![3]));
      const lo = digits.length === 1 ? 1 : 10 ** (digits.length - 1);
      const n = lo + Math.floor(next() * (10 ** digits.length - lo));
      // round like the corpus's own numbers (200, 350, 80): to a multiple of 10 when there are 3 digits or more
      const num = String(digits.length >= 3 ? Math.max(lo, Math.round(n / 10) * 10) : n);
      return taken.has(num) ? undefined : `${prefix}${dash}${num}${suffix}`;
    }
    if (a === b) return undefined;
    if (lang === 'zh') {
      // head of one name + tail of another: two characters each side for names of 4+, one for shorter names (深圳市 + 上海市 → 深海市)
      const ca = Array.from(a);
      const cb = Array.from(b);
      if (ca.length < 2 || cb.length < 2) return undefined;
      return ca.slice(0, ca.length >= 4 ? 2 : 1).join('') + cb.slice(cb.length >= 4 ? 2 : 1).join('');
    }
    const wa = a.split(/\s+/);
    const wb = b.split(/\s+/);
    if (wa.length < 2 || wb.length < 2) return undefined;
    return [wa[0], ...wb.slice(1)].join(' ');
  }

  isAbsent(name: string, peers: readonly string[] = []): boolean {
    const k = normalizeKey(name);
    if (this.used.has(k) || this.nameKeys.has(k)) return false;
    if (this.known.some((n) => n.includes(k))) return false;
    return !peers.map(normalizeKey).some((p) => p.length >= 2 && k.includes(p));
  }
}
