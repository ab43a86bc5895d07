import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { Resolver } from '../../../graph/resolve/index.js';
import { chunks, pack } from './helpers.js';

const entities = (...texts: string[]) => extractOffline({ tenant: 't', chunks: chunks(...texts), pack }).entities;

describe('entity resolution', () => {
  it('merges a full name with the short name the corpus defines (以下简称), keeping the alias and the evidence', () => {
    const es = entities('科大讯飞股份有限公司（以下简称科大讯飞）总部位于合肥。', '科大讯飞于2010年发布了XF-1。');
    const e = es.find((x) => x.name === '科大讯飞股份有限公司')!;
    expect(e.aliases).toContain('科大讯飞');
    expect(e.merges).toContainEqual(expect.objectContaining({ rule: 'abbreviation', alias: '科大讯飞', evidence: expect.objectContaining({ chunkId: 'c0' }) }));
  });

  it('merges a Chinese name with its parenthetical English name, and an English name with its quoted short name', () => {
    const es = entities('英伟达（NVIDIA）发布了H100。', 'NVIDIA总部位于美国。', 'Acme Robotics Co., Ltd. ("Acme") is based in Austin.', 'Acme released the AR-5.');
    expect(es.find((e) => e.name === '英伟达')!.aliases).toContain('NVIDIA');
    const acme = es.find((e) => e.name === 'Acme Robotics Co., Ltd.')!;
    expect(acme.aliases).toContain('Acme');
    expect(acme.merges!.map((m) => m.rule)).toContain('abbreviation');
  });

  it('treats traditional/simplified script, letter case and full width as one entity', () => {
    const r = new Resolver('t');
    r.observe('星辰精密制造有限公司', 'Organization');
    r.observe('星辰精密製造有限公司', 'Organization');
    r.observe('ＸＲ－２００', 'Product');
    r.observe('XR-200', 'Product');
    r.observe('xr-200', 'Product');
    r.observe('XR-200', 'Product');
    expect(r.entityFor('星辰精密製造有限公司')!.id).toBe(r.entityFor('星辰精密制造有限公司')!.id);
    const p = r.entityFor('ＸＲ－２００')!;
    expect(p.name).toBe('XR-200');
    expect(p.aliases.sort()).toEqual(['xr-200', 'ＸＲ－２００'].sort());
    expect(p.merges!.every((m) => m.rule === 'normalized-form')).toBe(true);
    expect(r.entities()).toHaveLength(2);
  });

  it('does not merge names the corpus does not link', () => {
    const es = entities('星辰精密制造有限公司总部位于苏州。', '星辰光电有限公司总部位于无锡。');
    expect(es.filter((e) => e.type === 'Organization')).toHaveLength(2);
  });
  it('resolves a short name in a later batch to the entity an earlier batch stored (seeded resolver)', () => {
    const batch1 = extractOffline({ tenant: 't', chunks: chunks('华岳机电股份有限公司（以下简称华岳机电）总部位于杭州。'), pack });
    const stored = batch1.entities.find((e) => e.name === '华岳机电股份有限公司')!;
    expect(stored.aliases).toContain('华岳机电');
    const batch2 = extractOffline({ tenant: 't', chunks: chunks('华岳机电于2019年发布了HY-9。', '华岳机电成立于2001年。').map((c) => ({ ...c, id: `b2-${c.id}` })), pack, known: batch1.entities });
    const released = batch2.facts.find((f) => f.predicate === 'RELEASED')!;
    expect(released.subjectId).toBe(stored.id);
    expect(released.subject).toBe('华岳机电股份有限公司');
    expect(batch2.facts.find((f) => f.predicate === 'FOUNDED_IN')!.subjectId).toBe(stored.id);
    const again = batch2.entities.find((e) => e.id === stored.id)!;
    expect(again.aliases).toContain('华岳机电');
    expect(again.merges).toEqual(stored.merges);
    // Without the stored entities, batch 2 alone cannot tell the short name is that company.
    const alone = extractOffline({ tenant: 't', chunks: chunks('华岳机电于2019年发布了HY-9。', '华岳机电成立于2001年。'), pack });
    expect(alone.facts.filter((f) => f.subjectId === stored.id)).toEqual([]);
  });
});
