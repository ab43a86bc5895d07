import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { chunks, pack } from './helpers.js';

const facts = (...texts: string[]) => extractOffline({ tenant: 't', chunks: chunks(...texts), pack }, { cooccurrence: false }).facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`);
const only = (p: string, ...texts: string[]) => facts(...texts).filter((x) => x.includes(` ${p} `));

describe('IS_A stated plainly', () => {
  it('reads "X是…第一座空间站" with the category as stated', () => {
    expect(only('IS_A', '青屿视觉有限公司是中国第一家工业相机企业。')).toContain('青屿视觉有限公司 IS_A 中国第一家工业相机企业');
  });

  it('reads "X (ABBR) is a Fortune 500 company", keeping the capitalised category', () => {
    expect(only('IS_A', 'Orion Robotics Inc. (ORI) is a Fortune 500 company headquartered in Ohio.')).toContain('Orion Robotics Inc. IS_A Fortune 500 company');
  });

  it('states nothing for a negation, a 的-clause or a phrase without a category head', () => {
    expect(only('IS_A', '青屿视觉有限公司不是一家上市公司。', '青屿视觉有限公司是全球领先的工业相机公司。', 'Orion Robotics Inc. is a member of the alliance.')).toEqual([]);
  });
});

describe('PART_OF stated plainly', () => {
  it('reads "A(Latin)的…中心" as the unit PART_OF the organization', () => {
    expect(only('PART_OF', '据星河精工股份有限公司(Xinghe)的全球研发中心介绍，新材料已投产。')).toContain('全球研发中心 PART_OF 星河精工股份有限公司');
  });

  it('reads "X, a division of A"', () => {
    expect(only('PART_OF', 'Orion Vision Labs, a division of Orion Robotics Inc., built the camera.')).toContain('Orion Vision Labs PART_OF Orion Robotics Inc.');
  });

  it('takes no generic facility after 的 as a unit', () => {
    expect(only('PART_OF', '星河精工股份有限公司的数据处理中心已经启用。', '星河精工股份有限公司的研发中心已经启用。')).toEqual([]);
  });
});

describe('DEVELOPED stated plainly', () => {
  it('reads "Y 由 X 以及… 写就"', () => {
    expect(only('DEVELOPED', 'Nebula OS 由 Orion Robotics Inc. 以及世界各地的许多志愿者写就。')).toContain('Orion Robotics Inc. DEVELOPED Nebula OS');
  });

  it('reads "X developed Y" and "Y was developed by X"', () => {
    expect(only('DEVELOPED', 'Orion Robotics Inc. developed the Vega X1.')).toContain('Orion Robotics Inc. DEVELOPED Vega X1');
    expect(only('DEVELOPED', 'The Vega X2 was developed by Orion Robotics Inc. in Ohio.')).toContain('Orion Robotics Inc. DEVELOPED Vega X2');
  });

  it('states nothing for a planned development (将由 X 开发)', () => {
    expect(only('DEVELOPED', 'Nebula OS 将由 Orion Robotics Inc. 开发。', 'Nebula OS 由 Orion Robotics Inc. 发布。')).toEqual([]);
  });
});

describe('DEVELOPED with an author the detector leaves untyped', () => {
  it('takes a personal-name-shaped name after 由 / developed by as the author', () => {
    expect(only('DEVELOPED', 'Nebula OS 由 Chen Mingyu 以及世界各地的许多志愿者写就。')).toContain('Chen Mingyu DEVELOPED Nebula OS');
  });

  it('takes no lower-case word or long phrase after 由 as an author', () => {
    expect(only('DEVELOPED', 'Nebula OS 由 volunteers 开发。', 'Nebula OS 由 The Nebula Project Team Of Volunteers 开发。')).toEqual([]);
  });
});
