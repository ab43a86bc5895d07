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
