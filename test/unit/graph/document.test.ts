import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import type { ChunkRecord } from '../../../ingest/model.js';
import { pack } from './helpers.js';

/** Written documents (made-up names) in the layouts of licences, checklists and manuals. */
function doc(sha: string, ...pages: string[]): ChunkRecord[] {
  return pages.map((text, i) => ({ id: `${sha}-p${i + 1}`, docSha256: sha.repeat(64).slice(0, 64), page: i + 1, start: 0, end: text.length, text, lang: 'en' as const, sentences: [] }));
}

const LICENCE = doc('a',
  'ORION OPEN DATA LICENSE\nVersion 4, 12 March 2019\n\nCopyright (C) 2019 Orion Data Foundation, Inc. <https://orion.example/>\n' +
  'Everyone may copy this document.\n\nIf you stop the violation, your rights are restored unless the licensor notifies you prior to 45 days after the cessation. ' +
  'A written offer must be valid for at least two years. The licensor may publish new versions in 2021.\n');
const CHECKLIST = doc('b', 'REFERENCE\n\n07/123\n\nNORTHBAY UNIVERSITY\n\nProject Approval Checklist\n\nA MINIMUM of 10 working days is required to obtain approval.\n');
const MANUAL = doc('c',
  'Router Setup Guide Release 9.2.R3 Static Routes\nA static route is configured in 30 seconds. The cache holds entries for at least 5 days.\n',
  'More text.\nDOC 555 © 2022 Helix Networks.\n');
const PROSE = doc('d', 'Annual letter\nOur members renewed their policy within 30 days. © 2020 Quill Press. All rights reserved.\n');

describe('document identity: title, version, issuer, copyright, time limits', () => {
  const r = extractOffline({ tenant: 't', chunks: [...LICENCE, ...CHECKLIST, ...MANUAL, ...PROSE], pack }, { cooccurrence: false });
  const of = (s: string) => r.facts.filter((f) => f.subject === s).map((f) => `${f.predicate} ${f.object}`).sort();

  it('reads a licence: its version and date, the copyright holder as issuer, the year, the holder\'s site, the time limits it sets', () => {
    expect(of('ORION OPEN DATA LICENSE')).toEqual([
      'ATTR:Copyright year 2019', 'ATTR:Version 4', 'ATTR:Version date 12 March 2019',
      'ATTR:time limit (at least) 2 years', 'ATTR:time limit (prior to) 45 days', 'ISSUED_BY Orion Data Foundation, Inc.',
    ]);
    expect(of('Orion Data Foundation, Inc.')).toEqual(['ATTR:Website https://orion.example/']);
    expect(r.entities.find((e) => e.name === 'ORION OPEN DATA LICENSE')?.type).toBe('Regulation');
  });

  it('reads a checklist issued by the organization printed above its title, and its minimum time', () => {
    expect(of('Project Approval Checklist')).toEqual(['ATTR:time limit (minimum of) 10 working days', 'ISSUED_BY NORTHBAY UNIVERSITY']);
  });

  it('reads a manual title with its release and running header, issued by the copyright holder; a manual sets no time limits', () => {
    expect(of('Router Setup Guide')).toEqual(['ATTR:Copyright year 2022', 'ATTR:Release 9.2.R3', 'ISSUED_BY Helix Networks']);
  });

  it('without a title line, the copyright year is the holder\'s and durations in prose are no limits of anything', () => {
    expect(of('Quill Press')).toEqual(['ATTR:Copyright year 2020']);
    expect(r.facts.some((f) => f.predicate.startsWith('ATTR:time limit') && !/LICENSE|Checklist/u.test(f.subject))).toBe(false);
  });
});

describe('biographies: PERSON is a TITLE at ORG [in CITY, REGION]', () => {
  const page = 'About the authors\nAnna Kowalski is a Senior Data Architect at Helix Cloud\nServices and Training in Dayton, Ohio. She writes about storage.\n' +
    'Tom Reed is a lead engineer on the Orion for z Performance Team group. The product is a great tool for teams.\n';
  const r = extractOffline({ tenant: 't', chunks: doc('e', page), pack }, { cooccurrence: false });
  const facts = r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`).sort();

  it('reads the role at the organization named across a line break, and the organization\'s city', () => {
    expect(facts).toContain('Anna Kowalski HAS_ROLE Helix Cloud Services and Training');
    expect(facts).toContain('Helix Cloud Services and Training LOCATED_IN Dayton');
    expect(facts).toContain('Tom Reed HAS_ROLE Orion for z Performance Team');
  });

  it('a sentence without a person and a job title states no role', () => {
    expect(facts.filter((f) => f.includes('HAS_ROLE'))).toHaveLength(2);
  });
});

describe('cover fields: LABEL: identifier, LABEL over identifier, values over their captions', () => {
  const cover = 'FORM 10-K\nCommission file number: 001-98765\nOrion Robotics Inc.\n(Exact name of registrant as specified in its charter)\nDelaware\n77-1234567\n' +
    '(State or other jurisdiction of incorporation)\n(IRS Employer Identification No.)\n12 Harbor Road – Dayton, OH 45402\n(Address of principal executive offices)\n[PHONE]\n(Registrant\'s telephone number)\n' +
    'Indicate by check mark whether the registrant is a shell company. Yes ☐ No ☑\n';
  const r = extractOffline({ tenant: 't', chunks: doc('f', cover), pack }, { cooccurrence: false });
  const facts = r.facts.filter((f) => f.subject === 'Orion Robotics Inc.').map((f) => `${f.predicate} ${f.object}`).sort();

  it('gives the filer its file number, state, employer number, address and the address\'s city; no name, phone or check box as a field', () => {
    expect(facts).toEqual([
      'ATTR:Address of principal executive offices 12 Harbor Road – Dayton, OH 45402', 'ATTR:Commission file number 001-98765',
      'ATTR:IRS Employer Identification No. 77-1234567', 'ATTR:State or other jurisdiction of incorporation Delaware', 'LOCATED_IN Dayton',
    ]);
  });

  it('a form whose subject is its title: LABEL over an identifier', () => {
    const form = doc('g', 'FILE REFERENCE\n\n12/345\n\nProject Approval Checklist\n\nApplicant name\n');
    const f = extractOffline({ tenant: 't', chunks: form, pack }, { cooccurrence: false }).facts.map((x) => `${x.subject} ${x.predicate} ${x.object}`);
    expect(f).toEqual(['Project Approval Checklist ATTR:FILE REFERENCE 12/345']);
  });
});

describe('Chinese manuals and standards: title, version, copyright, author on the first pages', () => {
  const zh = (sha: string, ...pages: string[]) => doc(sha, ...pages).map((c) => ({ ...c, lang: 'zh' as const }));
  it('reads a manual\'s running-header title, its version with date, copyright years and organisation, and author', () => {
    const r = extractOffline({ tenant: 't', chunks: zh('h', '星河机器人使用手册 i\n星河机器人使用手册\n', '星河机器人使用手册 ii\n版权 © 2019-2022 星河精工股份有限公司\n星河机器人使用手册(版本 3.2.1)(2022-05-01 10:00 UTC) 是一份用户指南。\n作者:王芳\n'), pack }, { cooccurrence: false });
    expect(r.facts.filter((f) => f.subject === '星河机器人使用手册').map((f) => `${f.predicate} ${f.object}`).sort()).toEqual([
      'ATTR:作者 王芳', 'ATTR:版本 3.2.1', 'ATTR:版本日期 2022-05-01', 'ATTR:版权年份 2019-2022', 'ISSUED_BY 星河精工股份有限公司',
    ]);
  });

  it('a person holding the copyright (English or Chinese) is its holder, not the issuer', () => {
    const r = extractOffline({ tenant: 't', chunks: [...zh('i', '云澜开发规范\n版权 © 2020 李明\n'), ...doc('j', 'Harbor Style Guide\nCopyright (C) 2021 Anna Kowalski\n')], pack }, { cooccurrence: false });
    const f = r.facts.map((x) => `${x.subject} ${x.predicate} ${x.object}`).sort();
    expect(f).toEqual([
      'Harbor Style Guide ATTR:Copyright holder Anna Kowalski', 'Harbor Style Guide ATTR:Copyright year 2021',
      '云澜开发规范 ATTR:版权年份 2020', '云澜开发规范 ATTR:版权所有者 李明',
    ]);
  });
});
