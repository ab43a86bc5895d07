import { describe, expect, it } from 'vitest';
import { detectLang, detectPii, ingestFile, isValidChineseId, isValidUscc, luhnValid, piiConfigFor, PII_KINDS, PII_PLACEHOLDER, redactPii, type PiiKind } from '../../../ingest/index.js';
import { goldSpans, loadWrittenSet, score } from '../../../bench/pii-set.js';
import { normalizeText } from '../../../ingest/normalize.js';
import { chineseIdCheckChar, luhnCheckDigit, orgCodeCheckChar, USCC_ALPHABET, usccCheckChar } from '../../../ingest/pii-validators.js';
import { rng, utf8 } from './fixtures.js';

const r = rng(20240611);
const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const digits = (n: number, first = '0123456789'): string => {
  let s = pick([...first]);
  while (s.length < n) s += String(int(0, 9));
  return s;
};

// ---- generators of valid values ----
function idCard(): string {
  const region = pick(['110101', '310104', '440305', '510107', '330106', '420102', '610113']);
  const d = new Date(Date.UTC(int(1950, 2005), int(0, 11), int(1, 28)));
  const birth = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  const first17 = region + birth + digits(3);
  return first17 + chineseIdCheckChar(first17);
}
function mobile(): string {
  const n = `1${pick([...'3456789'])}${digits(9)}`;
  return pick([n, n, `+86 ${n}`, `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`, `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`]);
}
function landline(): string {
  const area = pick(['010', '021', '020', '0755', '0571', '028', '0532']);
  const local = digits(area.length === 3 ? 8 : pick([7, 8]), '23456789');
  return pick([`${area}-${local}`, `(${area})${local}`, `${area}-${local}-${int(1, 999)}`, `${area} ${local}`]);
}
function email(): string {
  const user = pick(['zhang.wei', 'li_na', 'wangfang88', 'john.smith', 'j.doe+news', 'hr-team', 'service2024']);
  return `${user}@${pick(['example.com', 'xinghe.cn', 'mail.acme-robotics.com', 'qq.com', 'corp.example.org'])}`;
}
function bankCard(): string {
  const payload = pick(['62', '4', '5', '622202', '6217']) ;
  const len = pick([16, 16, 19]);
  const body = payload + digits(len - 1 - payload.length);
  const n = body + luhnCheckDigit(body);
  return r() < 0.4 ? (n.match(/.{1,4}/g) as string[]).join(' ') : n;
}
function uscc(): string {
  const org8 = Array.from({ length: 8 }, () => pick([...USCC_ALPHABET])).join('');
  const first17 = `${pick([...'19'])}${pick([...'123'])}${pick(['110108', '310115', '440300', '330100'])}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}
function enPhone(): string {
  const a = `${int(2, 9)}${digits(2)}`;
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `+1 ${a}.${b}.${c}`, `${a}.${b}.${c}`]);
}

const GEN: Record<PiiKind, () => string> = { idCard, mobile, landline, email, bankCard, uscc, enPhone };
const CONTEXTS: Record<PiiKind, string[]> = {
  idCard: ['客户张三的身份证号是{v}，请核实。', '身份证：{v}', 'ID number {v} was verified.'],
  mobile: ['联系电话：{v}', '请拨打{v}咨询。', 'Mobile: {v}.'],
  landline: ['办公电话{v}，工作日接听。', '传真：{v}', 'Office line {v}'],
  email: ['邮箱：{v}', 'Send the report to {v} before Friday.', '联系人邮箱{v}。'],
  bankCard: ['收款账号：{v}', '银行卡号{v}，开户行：招商银行。', 'Card no. {v} expires 12/27.'],
  uscc: ['统一社会信用代码：{v}', '企业信用代码{v}已登记。', 'USCC {v}'],
  enPhone: ['Call us at {v} today.', 'Phone: {v}', 'Fax {v} (office)'],
};

interface Item {
  text: string;
  expected: Array<{ kind: PiiKind; start: number; end: number }>;
}

function positive(kind: PiiKind): Item {
  const v = GEN[kind]();
  const tpl = pick(CONTEXTS[kind]);
  const at = tpl.indexOf('{v}');
  return { text: tpl.replace('{v}', v), expected: [{ kind, start: at, end: at + v.length }] };
}

const NEGATIVES: Array<() => string> = [
  () => `订单号：${digits(18, '123456789')}`,
  () => `订单编号${digits(16, '6')}，已发货。`,
  () => `Order #${digits(16, '4')} shipped.`,
  () => `Tracking number ${digits(19, '5')}`,
  () => `发票号码 ${digits(20)}`,
  () => `日期：${int(2000, 2030)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
  () => `${int(2000, 2030)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')} 生效`,
  () => `${int(2000, 2030)}年${int(1, 12)}月${int(1, 28)}日 ${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')}`,
  () => {
    const id = idCard();
    const bad = id.slice(0, 17) + ('10X98765432'.replace(id[17] as string, '')[int(0, 9)] as string);
    return `身份证号${bad}（校验位错误）`;
  },
  () => {
    const card = bankCard().replace(/ /g, '');
    const last = Number(card[card.length - 1]);
    return `卡号 ${card.slice(0, -1)}${(last + int(1, 9)) % 10}`;
  },
  () => {
    const code = uscc();
    const alt = USCC_ALPHABET.replace(code[17] as string, '');
    return `信用代码${code.slice(0, 17)}${alt[int(0, alt.length - 1)]}`;
  },
  () => `号码12${digits(9)}无效`,
  () => `电话1${pick([...'3456789'])}${digits(8)}少一位`,
  () => `编号1${pick([...'3456789'])}${digits(10)}多一位`,
  () => `金额¥${int(1, 999)},${digits(3)},${digits(3)}.${digits(2)}`,
  () => `圆周率约为3.${digits(12)}`,
  () => `服务器 192.168.${int(0, 255)}.${int(0, 255)} 版本 v${int(1, 9)}.${int(0, 20)}.${int(0, 9)}`,
  () => `ISBN 978-7-${digits(3)}-${digits(5)}-${int(0, 9)}`,
  () => `Call ${int(0, 1)}${digits(2)}-${digits(3)}-${digits(4)} is not a valid US number.`,
  () => `SSN-like ${digits(3, '123456789')}-${digits(2)}-${digits(4)}`,
  () => `快递单号 SF${digits(13)}`,
  () => `时间戳 ${digits(13, '1')}`,
  () => `Write to user@localhost or admin@server for help.`,
  () => `表格数据 ${digits(4, '123')} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(4)}`,
  () => `产品型号 AB-${digits(6)}-${digits(4)}`,
];

function dataset(): Item[] {
  const items: Item[] = [];
  const kinds = Object.keys(GEN) as PiiKind[];
  for (const k of kinds) for (let i = 0; i < 55; i++) items.push(positive(k));
  for (let i = 0; i < 30; i++) {
    // two PII in one item
    const a = positive(pick(kinds));
    const b = positive(pick(kinds));
    const sep = ' 另外，';
    const off = a.text.length + sep.length;
    items.push({ text: a.text + sep + b.text, expected: [...a.expected, ...b.expected.map((e) => ({ ...e, start: e.start + off, end: e.end + off }))] });
  }
  for (let i = 0; i < 260; i++) items.push({ text: NEGATIVES[i % NEGATIVES.length]!(), expected: [] });
  return items;
}

describe('PII validators', () => {
  it('check mainland ID, Luhn and USCC checksums', () => {
    expect(isValidChineseId('11010519491231002X')).toBe(true);
    expect(isValidChineseId('110105194912310021')).toBe(false);
    expect(isValidChineseId('110105194902310028')).toBe(false); // 31 February
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
  });
});

describe('PII detection on a labelled synthetic set', () => {
  const items = dataset();

  it('has ≥ 500 items with positives and hard negatives', () => {
    expect(items.length).toBeGreaterThanOrEqual(500);
    expect(items.filter((i) => i.expected.length === 0).length).toBeGreaterThanOrEqual(200);
  });

  it('recall ≥ 0.99 and precision ≥ 0.95 (span and placeholder type must match)', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const item of items) {
      const found = detectPii(item.text);
      const key = (m: { kind: PiiKind; start: number; end: number }): string => `${PII_PLACEHOLDER[m.kind]}:${m.start}:${m.end}`;
      const exp = new Set(item.expected.map(key));
      const got = new Set(found.map(key));
      for (const k of got) {
        if (exp.has(k)) tp++;
        else {
          fp++;
          misses.push(`FP ${k} in ${item.text}`);
        }
      }
      for (const k of exp) {
        if (!got.has(k)) {
          fn++;
          misses.push(`FN ${k} in ${item.text}`);
        }
      }
    }
    const recall = tp / (tp + fn);
    const precision = tp / (tp + fp);
    console.info(`PII synthetic set: ${items.length} items, tp=${tp} fp=${fp} fn=${fn}, recall=${recall.toFixed(4)} precision=${precision.toFixed(4)}`);
    expect({ recall: recall >= 0.99, precision: precision >= 0.95, misses: misses.slice(0, 10) }).toEqual({ recall: true, precision: true, misses: misses.slice(0, 10) });
    expect(tp).toBeGreaterThan(400);
  });
});

describe('redactPii', () => {
  it('replaces with typed placeholders and counts per kind', () => {
    const text = '张三，身份证11010519491231002X，手机13812345678，邮箱zhang@example.com，卡号6222 0212 3456 7890 128，公司信用代码91350100M000100Y43，US office (415) 555-0132.';
    const card = '6222021234567890128';
    expect(luhnValid(card)).toBe(true);
    const out = redactPii(text);
    expect(out.text).toBe('张三，身份证[ID_CARD]，手机[PHONE]，邮箱[EMAIL]，卡号[BANK_CARD]，公司信用代码[USCC]，US office [PHONE].');
    expect(out.counts).toEqual({ idCard: 1, mobile: 1, email: 1, bankCard: 1, uscc: 1, enPhone: 1 });
  });

  it('is configurable per tenant: switched-off kinds stay', () => {
    const out = redactPii('邮箱 a.b@example.com 电话 13812345678', { enabled: { email: false } });
    expect(out.text).toBe('邮箱 a.b@example.com 电话 [PHONE]');
    expect(out.counts).toEqual({ mobile: 1 });
  });

  it('runs before text leaves ingestFile and records per-document counts', async () => {
    const res = await ingestFile(utf8('联系人：王经理，电话 13812345678，邮箱 wang@xinghe.cn。\n备用电话 010-62345678。'), 'contacts.txt');
    expect(res.document.piiCounts).toEqual({ mobile: 1, email: 1, landline: 1 });
    const all = res.chunks.map((c) => c.text).join('\n') + res.pages.join('\n');
    expect(all).not.toMatch(/13812345678|wang@xinghe|62345678/);
  });

  it('does not backtrack on a long run without separators', () => {
    const t0 = Date.now();
    detectPii('a'.repeat(2_000_000) + '@' + '1'.repeat(1_000_000));
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

/** What the detector found in a text, as `kind:value` pairs. */
const found = (text: string, config = {}): string[] => detectPii(text, config).map((m) => `${m.kind}:${text.slice(m.start, m.end)}`);

describe('PII in real-world formats', () => {
  it('finds the formats the first detector missed (issue 14)', () => {
    expect(found('总机 021 6123 4567，分机见下。')).toEqual(['landline:021 6123 4567']);
    expect(found('深圳办公室 0755-8888-6666')).toEqual(['landline:0755-8888-6666']);
    expect(found('请拨打02161234567转人工')).toEqual(['landline:02161234567']);
    expect(found('身份证号 110105 19491231 002X')).toEqual(['idCard:110105 19491231 002X']);
    expect(found('Call our office at 4155550132 today.')).toEqual(['enPhone:4155550132']);
    expect(found('London: +44 20 7946 0958')).toEqual(['enPhone:+44 20 7946 0958']);
  });

  it('reads numbers the way typeset documents print them', () => {
    expect(found('Fax: (202) 493–2251.')).toEqual(['enPhone:(202) 493–2251']); // en dash
    expect(found('phone and fax: 206–231–\n3500; email: x')).toEqual(['enPhone:206–231–\n3500']); // wrapped after the dash
    expect(found('telephone: +41 (0)41\n619 67 74; fax')).toEqual(['enPhone:+41 (0)41\n619 67 74']); // wrapped before complete
    expect(found('emailed to: 9-\nANM-Requests@faa.gov.')).toEqual(['email:9-\nANM-Requests@faa.gov']);
    expect(found('email: 9-FAA-Inquiry@\nfaa.gov.')).toEqual(['email:9-FAA-Inquiry@\nfaa.gov']);
    expect(found('{vladk, barlaso}@fb.com')).toEqual(['email:{vladk, barlaso}@fb.com']);
    expect(found('call Cancer Council 13 11 20 or 1800 624 973')).toEqual(['enPhone:13 11 20', 'enPhone:1800 624 973']);
    expect(found('手机：（+86）133 3333 4444'.normalize('NFKC'))).toEqual(['mobile:(+86)133 3333 4444']);
    expect(found('Shanghai office: +86-21-6123-4567')).toEqual(['landline:+86-21-6123-4567']);
    expect(found('旧版身份证 110105491231002 已失效')).toEqual(['idCard:110105491231002']);
    expect(found('AmEx 3782 822463 10005')).toEqual(['bankCard:3782 822463 10005']);
    expect(found('电话:0755—89888888,手机 138—1234—5678')).toEqual(['landline:0755—89888888', 'mobile:138—1234—5678']); // em dashes
  });

  it('leaves hard negatives alone: amounts, dates, report numbers, stock codes, ISBNs, table rows', () => {
    for (const t of [
      '人民币 13812345678.00 元', '营业收入 170,360,448,000.00 元', '生效日期 20250331', '2018-04-01 至 2018-06-30', '公告编号：2025-018',
      'Docket No. FAA–2020–0686', 'AD 2018–23–51', 'Service Bulletin 737–31–1860', '证券代码：002594', 'ISBN 978 1 925136 98 2',
      '净利润 2155 2952 2397 2764 3002', '138 1234 5678 9012 3456', '订单号 13812345678', '发票号码 6217000010000000128',
      'Seal Beach, CA 90740–5600', 'ABN 91 130 793 725', '电话会议将于2025年4月1日举行', '电话1447140664少一位', 'Call 015-698-3594 now',
      '浮动 +20250331 个基点', '信用代码 91440300192317458E', '身份证号330106196610255036（校验位错误）',
    ]) expect(found(t), t).toEqual([]);
  });

  it('checks the organisation code inside a unified social credit code', () => {
    expect(isValidUscc('91440300192317458F')).toBe(true); // a published company code
    expect(isValidUscc('914403001923174X8F')).toBe(false);
  });
});

describe('PII policy (the pipeline input `pii`, per tenant)', () => {
  const text = '王经理 138 1234 5678，邮箱 Wang@Example.com，总机 021-6123 4567，备用 +86 13812345678。';

  it('defaults to today\'s behaviour: every kind masked with its placeholder', () => {
    expect(redactPii(text, piiConfigFor(undefined, 'acme'))).toEqual(redactPii(text));
    expect(redactPii(text).text).toBe('王经理 [PHONE]，邮箱 [EMAIL]，总机 [PHONE]，备用 [PHONE]。');
  });

  it('kinds: only the listed kinds are redacted', () => {
    expect(redactPii(text, piiConfigFor({ kinds: ['email'] }, 'acme')).text).toBe('王经理 138 1234 5678，邮箱 [EMAIL]，总机 021-6123 4567，备用 +86 13812345678。');
  });

  it('hash: the same value in two formats gets one token, keyed per tenant', () => {
    const a = redactPii(text, piiConfigFor({ action: 'hash' }, 'acme')).text;
    const tokens = a.match(/\[PHONE:[0-9a-f]{8}\]/g) ?? [];
    expect(tokens).toHaveLength(3);
    expect(tokens[0]).toBe(tokens[2]); // 138 1234 5678 and +86 13812345678
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(a).toMatch(/\[EMAIL:[0-9a-f]{8}\]/);
    expect(redactPii(text, piiConfigFor({ action: 'hash' }, 'other-tenant')).text).not.toBe(a);
    expect(detectLang(a.replace(/[^[\]:0-9a-f A-Z]/g, '中'))).toBe('zh'); // tokens do not count as English words
  });

  it('drop removes the value; allow keeps listed values (digits for numbers, any case for emails)', () => {
    expect(redactPii('电话 13812345678。', piiConfigFor({ action: 'drop' }, 'acme')).text).toBe('电话 。');
    const kept = redactPii(text, piiConfigFor({ allow: ['021-61234567', 'wang@example.com', '13812345678'] }, 'acme'));
    expect(kept.text).toBe(text);
    expect(kept.counts).toEqual({});
  });

  it('ingestFile stores what the policy says', async () => {
    const bytes = utf8('联系人：王经理，手机 138 1234 5678，邮箱 wang@xinghe.cn。');
    const masked = await ingestFile(bytes, 'c.txt');
    const emailsKept = await ingestFile(bytes, 'c.txt', { pii: piiConfigFor({ kinds: ['mobile'] }, 'acme') });
    expect(masked.pages[0]).toContain('[EMAIL]');
    expect(emailsKept.pages[0]).toContain('wang@xinghe.cn');
    expect(emailsKept.pages[0]).not.toContain('138 1234 5678');
    expect(emailsKept.document.piiCounts).toEqual({ mobile: 1 });
  });
});

describe('the hand-written labelled set in real formats (bench/data/pii-written.json)', () => {
  it('recall ≥ 0.99 and precision ≥ 0.95 per kind, no detection in a hard negative', () => {
    const set = loadWrittenSet();
    const texts = set.items.map((it, i) => {
      const t = normalizeText(it.text);
      return { source: String(i), text: t, gold: goldSpans(t, it.pii, String(i)), found: detectPii(t) };
    });
    const s = score(texts);
    for (const k of s.kinds) {
      expect(k.gold, k.kind).toBeGreaterThanOrEqual(5);
      expect({ kind: k.kind, recall: k.recall >= 0.99, precision: k.precision >= 0.95 }).toEqual({ kind: k.kind, recall: true, precision: true });
    }
    expect(s.falsePositives).toEqual([]);
    expect(PII_KINDS.every((k) => s.kinds.some((x) => x.kind === k))).toBe(true);
  });
});
