import { describe, expect, it } from 'vitest';
import { junkNameReason, onlyInsideLonger } from '../../../graph/extract/internal/junk.js';

describe('names that are no names', () => {
  it('judges a name by its form: numbers, one Han character, function words at the edges, abstract heads, lower-case English', () => {
    expect(junkNameReason('2025年3月31日')).toBe('number');
    expect(junkNameReason('星')).toBe('length');
    expect(junkNameReason('的星河')).toBe('function-word');
    expect(junkNameReason('营业收入')).toBe('generic');
    expect(junkNameReason('现金流量表')).toBe('generic');
    expect(junkNameReason('the licensor')).toBe('function-word');
    expect(junkNameReason('covered software')).toBe('generic');
    expect(junkNameReason('Orion Data Fund of')).toBe('function-word');
  });

  it('keeps names: organisation suffixes after a generic head, capitalised English, The at the start of a name, domains', () => {
    for (const n of ['星河精工股份有限公司', '云澜项目管理公司', '国际空间站', 'The Northbay University', 'Orion Robotics Inc.', 'example.ch']) expect(junkNameReason(n)).toBeUndefined();
  });

  it('a name found only inside longer names never stands alone; one that also stands alone does', () => {
    expect(onlyInsideLonger('河精工', ['星河精工'], ['星河精工发布了新产品。星河精工位于苏州。'])).toBe(true);
    expect(onlyInsideLonger('美国', ['美国宇航局'], ['美国宇航局表示。美 国宇航局称。'])).toBe(true);
    expect(onlyInsideLonger('美国', ['美国宇航局'], ['美国宇航局表示,美国的宇航员。'])).toBe(false);
    expect(onlyInsideLonger('美国', [], ['美国宇航局'])).toBe(false);
  });
});

describe('function characters that also begin or end names', () => {
  it('华为, 本田, 于敏 and a person 王有为 are names; 索尼在 and 的 at an edge are not', () => {
    for (const n of ['华为', '本田', '于敏']) expect(junkNameReason(n, 'Organization')).toBeUndefined();
    expect(junkNameReason('王有为', 'Person')).toBeUndefined();
    expect(junkNameReason('索尼在', 'Organization')).toBe('function-word');
    expect(junkNameReason('星河的', 'Organization')).toBe('function-word');
  });
});

describe('a common noun glossed by a Latin name is no other name for it', () => {
  it('工具(GNOME), 系统(Python), 使用超文本传输协议(HTTP) link nothing; 英伟达(NVIDIA) and 星河精工股份有限公司(Xinghe) do', async () => {
    const { extractOffline } = await import('../../../graph/extract/offline.js');
    const { chunks, pack } = await import('./helpers.js');
    const r = extractOffline({ tenant: 't', chunks: chunks('获取网络信息的工具(GNOME)。脚本语言系统(Python)。浏览器使用超文本传输协议(HTTP)访问远程内容。英伟达(NVIDIA)发布了新芯片。星河精工股份有限公司(Xinghe)位于苏州。'), pack }, { cooccurrence: false });
    const aliasesOf = (n: string) => r.entities.find((e) => e.name === n)?.aliases ?? [];
    for (const n of ['工具', '系统', '使用超文本传输协议']) expect(aliasesOf(n)).toEqual([]);
    expect(r.entities.some((e) => e.aliases.includes('GNOME') || e.aliases.includes('HTTP'))).toBe(false);
    expect(aliasesOf('英伟达')).toContain('NVIDIA');
    expect(aliasesOf('星河精工股份有限公司')).toContain('Xinghe');
  });
});

describe('a Latin name glossed by a Chinese common word is no other name for it either', () => {
  it('DVCS(历史), Linux(内核) link nothing; NVIDIA(英伟达) and Xinghe(星河精工股份有限公司) do', async () => {
    const { extractOffline } = await import('../../../graph/extract/offline.js');
    const { chunks, pack } = await import('./helpers.js');
    const r = extractOffline({ tenant: 't', chunks: chunks('美国宇航局使用DVCS(历史)记录修改。Linux(内核)由志愿者维护。NVIDIA(英伟达)发布了新芯片。Xinghe(星河精工股份有限公司)位于苏州。'), pack }, { cooccurrence: false });
    const names = (n: string) => r.entities.filter((e) => e.name === n || e.aliases.includes(n)).flatMap((e) => [e.name, ...e.aliases]);
    for (const w of ['历史', '内核']) expect(r.entities.some((e) => e.aliases.includes(w) || (e.name === w && e.aliases.length > 0))).toBe(false);
    expect(names('NVIDIA')).toContain('英伟达');
    expect(names('Xinghe')).toContain('星河精工股份有限公司');
    expect(r.facts.some((f) => f.object === 'DVCS' || f.subject === 'DVCS')).toBe(false);
  });
});
