import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { FactRecord } from '../../../graph/model.js';
import { chunks, pack } from './helpers.js';

const triples = (texts: string[]) => extractOffline({ tenant: 't', chunks: chunks(...texts), pack }, { cooccurrence: false }).facts.map((f) => `${f.subject}|${f.predicate}|${f.object}`);

/** One zh and one en statement per relation type. */
const CASES: Array<[string, string, string]> = [
  ['蓝海电子有限公司总部位于深圳。', 'Keystone Automation Ltd. is headquartered in Detroit.', 'LOCATED_IN'],
  ['蓝海电子有限公司成立于2015年。', 'Keystone Automation Ltd. was founded in 1994.', 'FOUNDED_IN'],
  ['蓝海电子有限公司由王建国于2015年创立。', 'Keystone Automation Ltd. was founded by David Park.', 'FOUNDED_BY'],
  ['蓝海电子有限公司的首席执行官是李娜。', 'The CEO of Keystone Automation Ltd. is Sarah Miller.', 'HAS_CEO'],
  ['蓝海电子有限公司是华东汽车集团的全资子公司。', 'Keystone Automation Ltd. is a subsidiary of Alpine Industrial Group.', 'SUBSIDIARY_OF'],
  ['华东汽车集团收购了蓝海电子有限公司。', 'Alpine Industrial Group acquired Keystone Automation Ltd. in 2015.', 'ACQUIRED'],
  ['华东汽车集团投资了蓝海电子有限公司。', 'Alpine Industrial Group invested in Keystone Automation Ltd.', 'INVESTED_IN'],
  ['蓝海电子有限公司发布了XR-200。', 'Keystone Automation Ltd. released the XR-200.', 'RELEASED'],
  ['XR-200的售价为12,800元。', 'The XR-200 is priced at $1,800.', 'PRICED_AT'],
  ['XR-200由控制器和伺服电机组成。', 'The XR-200 consists of a controller and a gripper.', 'HAS_PART'],
  ['蓝海电子有限公司已通过ISO 9001认证。', 'Keystone Automation Ltd. is certified to ISO 9001.', 'CERTIFIED'],
  ['蓝海电子有限公司是华东汽车集团的供应商。', 'Keystone Automation Ltd. is a key supplier to Alpine Industrial Group.', 'SUPPLIER_OF'],
  ['华东汽车集团的主要客户包括蓝海电子有限公司。', "Alpine Industrial Group's customers include Keystone Automation Ltd.", 'HAS_CUSTOMER'],
  ['蓝海电子有限公司的主要产品包括XR-200和XR-300。', "Keystone Automation Ltd.'s products include the XR-200.", 'PRODUCES'],
];

describe('offline extraction', () => {
  it.each(CASES)('%s / %s → %s', (zh, en, rel) => {
    expect(triples([zh]).some((t) => t.split('|')[1] === rel), zh).toBe(true);
    expect(triples([en]).some((t) => t.split('|')[1] === rel), en).toBe(true);
  });

  it('splits list objects, keeps evidence spans relative to the chunk, and validates as FactRecord', () => {
    const text = '公司简介。XR-200由控制器、伺服电机和机械臂组成。';
    const { facts } = extractOffline({ tenant: 't', chunks: chunks(text), pack });
    const parts = facts.filter((f) => f.predicate === 'HAS_PART');
    expect(parts.map((f) => f.object).sort()).toEqual(['伺服电机', '控制器', '机械臂']);
    for (const f of facts) {
      FactRecord.parse(f);
      for (const e of f.evidence) expect(text.slice(e.sentenceStart, e.sentenceEnd)).toBe(e.sentence);
    }
    expect(parts[0]!.evidence[0]!.sentence).toBe('XR-200由控制器、伺服电机和机械臂组成。');
  });

  it('finds nothing in sentences that state no fact', () => {
    expect(triples(['2023年市场需求保持稳定。', 'Safety remains our top priority.', '我们将继续加大研发投入。'])).toEqual([]);
  });

  it('reads "键：值" blocks and table rows, mapping known keys to relations and others to ATTR:<key>', () => {
    const t = triples(['XR-500 技术参数\n型号：XR-500\n售价：98,000元\n额定负载：500kg', '| Model | Price |\n|---|---|\n| AG-7 | $45,000 |']);
    expect(t).toContain('XR-500|PRICED_AT|98,000元');
    expect(t).toContain('XR-500|ATTR:payload|500kg');
    expect(t).toContain('AG-7|PRICED_AT|$45,000');
  });

  it('links entities sharing sentences by PMI as weak RELATED_TO facts (confidence ≤ 0.5)', () => {
    const s = '蓝海电子有限公司和华东汽车集团在深圳合作。';
    const { facts } = extractOffline({ tenant: 't', chunks: chunks(s, s.replace('深圳', '上海'), '今天天气很好，北京很热。'), pack });
    const rel = facts.filter((f) => f.predicate === 'RELATED_TO');
    expect(rel.map((f) => [f.subject, f.object].sort().join('+'))).toContain(['华东汽车集团', '蓝海电子有限公司'].sort().join('+'));
    expect(rel.every((f) => f.confidence <= 0.5)).toBe(true);
  });

  it('takes Cypher-injection-looking names as plain text', () => {
    const evil = "X'}) DETACH DELETE n //有限公司";
    const { entities } = extractOffline({ tenant: 't', chunks: chunks(`${evil}总部位于苏州。`), pack });
    expect(entities.some((e) => e.name.includes('DETACH DELETE'))).toBe(true);
  });
});
