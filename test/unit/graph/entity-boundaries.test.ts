import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { chunks, pack } from './helpers.js';

/**
 * Bad entities seen on the sample corpus (examples/sample-corpus), restated with other names: a verb
 * phrase glued to a company name, an English clause taken as a name, a place taken as the subject,
 * clause fragments from term discovery. None may become an entity or a fact's subject.
 */
function extract(texts: string[], terms: string[] = []) {
  const r = extractOffline({ tenant: 't', chunks: chunks(...texts), terms, pack }, { cooccurrence: false });
  return { ...r, triples: r.facts.map((f) => `${f.subject}|${f.predicate}|${f.object}`), names: r.entities.flatMap((e) => [e.name, ...e.aliases]) };
}

describe('entity boundaries', () => {
  it('does not glue the verb before a company name to the name', () => {
    const r = extract(['本名录列出华岳机电股份有限公司(以下简称华岳机电)2024年度的合格供应商。', '本目录收录华岳机电股份有限公司(以下简称华岳机电)在售的全部产品。华岳机电总部位于杭州。']);
    expect(r.names.filter((n) => n.endsWith('华岳机电股份有限公司'))).toEqual(['华岳机电股份有限公司']);
    expect(r.triples).toContain('华岳机电股份有限公司|LOCATED_IN|杭州');
  });

  it('keeps verbs that belong to a name and drops common nouns ending in 公司', () => {
    const r = extract(['启航电子有限公司、华芯运动控制有限公司与恒丰模具有限公司签约。全部用于公司自产机器人,欧洲子公司负责销售。']);
    expect(r.names).toEqual(expect.arrayContaining(['启航电子有限公司', '华芯运动控制有限公司', '恒丰模具有限公司']));
    expect(r.names.filter((n) => /用于公司|子公司/.test(n))).toEqual([]);
  });

  it('takes only capitalized runs as English names inside Chinese text, never a clause', () => {
    const r = extract(['Harbor Optics is headquartered in Lanzhou (兰州市). The founder of Harbor Optics is Wei Lan (魏岚).', '兰州市海港光学成立于2011年。']);
    expect(r.names.filter((n) => / is /.test(n))).toEqual([]);
    const lanzhou = r.entities.find((e) => e.aliases.includes('兰州市') || e.name === '兰州市');
    expect(lanzhou?.name).toBe('Lanzhou');
    expect(r.entities.find((e) => e.name === 'Wei Lan')?.aliases).toContain('魏岚');
  });

  it('chooses the organization, not a place next to the trigger, as subject', () => {
    const r = extract(['银川精铸科技有限公司(以下简称银川精铸)是华岳机电股份有限公司的子公司,位于宁波。银川精铸总部位于宁波,成立于2009年。']);
    expect(r.triples).toContain('银川精铸科技有限公司|FOUNDED_IN|2009');
    expect(r.triples).toContain('银川精铸科技有限公司|LOCATED_IN|宁波');
    expect(r.facts.every((f) => f.subjectType === 'Organization' || f.subjectType === 'Product')).toBe(true);
    expect(r.triples.filter((t) => t.startsWith('华岳机电股份有限公司|LOCATED_IN'))).toEqual([]);
  });

  it('ignores discovered terms that are clause fragments', () => {
    const r = extract(['XG-12于2017年发布,售价为3,600元。星河传动位于云澜市。'], ['年发布', '位于云澜市', '星河传动']);
    expect(r.names).not.toContain('年发布');
    expect(r.names).not.toContain('位于云澜市');
    expect(r.triples).toContain('XG-12|PRICED_AT|3,600元');
  });

  it('states no fact from questions, passives it does not expect, modifiers or verbs as objects', () => {
    const r = extract([
      'Who runs Harbor Optics today? 华岳机电成立于哪一年？',
      '鼎新模具有限公司被收购后已并入华岳机电股份有限公司。',
      '华岳机电股份有限公司的生产基地位于温州。',
      '本说明由华岳机电股份有限公司客户服务部负责解释。',
    ]);
    expect(r.triples.filter((t) => /RESPONSIBLE_FOR|ACQUIRED|PRODUCES/.test(t))).toEqual([]);
    expect(r.triples.filter((t) => t.startsWith('Who'))).toEqual([]);
  });
});

describe('a titled act is one name', () => {
  it('"Securities Exchange Act of 1934" is a regulation; the exchange inside it is no mention; "The Act" alone is no name', async () => {
    const { extractOffline } = await import('../../../graph/extract/offline.js');
    const { chunks, pack } = await import('./helpers.js');
    const r = extractOffline({ tenant: 't', chunks: chunks('Section 12(b) of the Securities Exchange Act of 1934 applies to Galaxy Gaming, Inc. The Act is long.'), pack }, { cooccurrence: false });
    expect(r.entities.find((e) => e.name === 'Securities Exchange Act of 1934')?.type).toBe('Regulation');
    expect(r.entities.some((e) => e.name === 'Securities Exchange' || e.name === 'Act' || e.name === 'The Act')).toBe(false);
  });
});
