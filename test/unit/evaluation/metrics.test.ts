import { describe, expect, it } from 'vitest';
import { answerTokens, exactMatch, faithfulness, isRefusal, lcsLength, normalizeAnswer, parseTrueFalse, perplexityIncrease, rougeL, rougeUnits, tokenF1, trueFalseCorrect } from '../../../evaluation/index.js';

describe('normalizeAnswer', () => {
  it('NFKC, case, punctuation and whitespace', () => {
    expect(normalizeAnswer('  Ｈｅｌｌｏ，   World!  ', 'en')).toBe('hello world');
    expect(normalizeAnswer('“The”  cat—sat.', 'en')).toBe('the cat sat');
    expect(normalizeAnswer('位于 北京。', 'zh')).toBe('位于北京');
    expect(normalizeAnswer('（ＡＢＣ）公司', 'zh')).toBe('abc公司');
  });
  it('keeps symbols that carry meaning', () => {
    expect(normalizeAnswer('Up 5%', 'en')).toBe('up 5%');
  });
});

describe('exactMatch', () => {
  it('matches after normalisation, against any reference', () => {
    expect(exactMatch('The Eiffel Tower.', ['the eiffel tower'], 'en')).toBe(1);
    expect(exactMatch('Paris', ['London', 'paris!'], 'en')).toBe(1);
    expect(exactMatch('Paris', ['London'], 'en')).toBe(0);
    expect(exactMatch('深圳市。', ['深圳市'], 'zh')).toBe(1);
    expect(exactMatch('深圳', ['深圳市'], 'zh')).toBe(0);
  });
});

describe('tokenF1', () => {
  it('English words: P = 3/3, R = 3/6 → 2/3', () => {
    expect(tokenF1('the cat sat', ['the cat sat on the mat'], 'en')).toBeCloseTo(2 / 3, 10);
  });
  it('counts repeated tokens once per occurrence', () => {
    // pred [the, the, the], ref [the, cat]: common 1 → P 1/3, R 1/2 → F1 0.4
    expect(tokenF1('the the the', ['the cat'], 'en')).toBeCloseTo(0.4, 10);
  });
  it('Chinese uses jieba words: 4 of 4 predicted, 4 of 5 reference → 8/9', () => {
    expect(answerTokens('华为总部位于深圳市', 'zh')).toEqual(['华为', '总部', '位于', '深圳市']);
    expect(answerTokens('华为总部位于深圳市龙岗区。', 'zh')).toEqual(['华为', '总部', '位于', '深圳市', '龙岗区']);
    expect(tokenF1('华为总部位于深圳市', ['华为总部位于深圳市龙岗区。'], 'zh')).toBeCloseTo(8 / 9, 10);
  });
  it('no overlap → 0; both empty → 1', () => {
    expect(tokenF1('dog', ['cat'], 'en')).toBe(0);
    expect(tokenF1('...', ['!'], 'en')).toBe(1);
  });
});

describe('rougeL', () => {
  it('LCS of the textbook pair', () => {
    expect(lcsLength([...'ABCBDAB'], [...'BDCABA'])).toBe(4);
  });
  it('English words: LCS 6, P 6/7, R 6/6 → 12/13', () => {
    expect(rougeL('the cat was found under the bed', ['the cat was under the bed'], 'en')).toBeCloseTo(12 / 13, 10);
  });
  it('Chinese characters: 深圳市 vs 位于深圳 → LCS 2, P 2/3, R 2/4 → 4/7', () => {
    expect(rougeUnits('位于 深圳。', 'zh')).toEqual(['位', '于', '深', '圳']);
    expect(rougeL('深圳市', ['位于深圳'], 'zh')).toBeCloseTo(4 / 7, 10);
  });
  it('identical → 1, disjoint → 0', () => {
    expect(rougeL('北京', ['北京'], 'zh')).toBe(1);
    expect(rougeL('上海', ['北京'], 'zh')).toBe(0);
  });
});

describe('faithfulness', () => {
  it('gold present, no competitor → 1', () => {
    expect(faithfulness('总部在深圳。', ['深圳'], ['东莞', '深圳'], 'zh')).toBe(1);
  });
  it('a competing object for the same subject/relation → 0', () => {
    expect(faithfulness('总部在深圳和东莞。', ['深圳'], ['东莞'], 'zh')).toBe(0);
    expect(faithfulness('It is made in Berlin, or maybe Munich.', ['Berlin'], ['Munich'], 'en')).toBe(0);
  });
  it('gold missing → 0', () => {
    expect(faithfulness('总部在广州。', ['深圳'], [], 'zh')).toBe(0);
  });
  it('a competitor inside the gold does not count', () => {
    expect(faithfulness('位于北京市。', ['北京市'], ['北京'], 'zh')).toBe(1);
  });
  it('every gold object is required (list questions)', () => {
    expect(faithfulness('A and B', ['a', 'b'], [], 'en')).toBe(1);
    expect(faithfulness('A only', ['a', 'b'], [], 'en')).toBe(0);
  });
});

describe('isRefusal', () => {
  it.each([
    '资料中没有相关信息。',
    '资料中没有相关信息',
    '文档中未提及这一点。',
    '抱歉，所提供的材料里没有提到该产品的价格。',
    '没有找到相关的信息。',
    '无法根据资料回答这个问题。',
    'The documents do not say.',
    "The documents don't say who founded it.",
    'The document does not mention a price.',
    'This is not mentioned in the documents.',
    'There is no information about that.',
  ])('refusal: %s', (s) => expect(isRefusal(s)).toBe(true));
  it.each(['华为总部位于深圳。', 'The headquarters are in Shenzhen.', 'The documents say it is in Berlin.', 'No, it is in Shenzhen.'])('answer: %s', (s) => expect(isRefusal(s)).toBe(false));
});

describe('parseTrueFalse', () => {
  it.each([
    ['是的，华为总部位于深圳。', true],
    ['是。', true],
    ['不是，华为总部位于深圳。', false],
    ['否', false],
    ['正确。', true],
    ['不正确。', false],
    ['错误，应为深圳。', false],
    ['这种说法是错误的。', false],
    ['这个说法正确。', true],
    ['True.', true],
    ['False — it is in Shenzhen.', false],
    ['Yes, it is.', true],
    ['No, it is in Shenzhen.', false],
    ['That is not correct.', false],
    ['The statement is correct.', true],
    ['I am not sure.', undefined],
  ] as const)('%s → %s', (s, want) => expect(parseTrueFalse(s)).toBe(want));
  it('trueFalseCorrect compares verdicts; no verdict is wrong', () => {
    expect(trueFalseCorrect('是的', '正确')).toBe(1);
    expect(trueFalseCorrect('No.', 'true')).toBe(0);
    expect(trueFalseCorrect('maybe', 'false')).toBe(0);
  });
});

describe('perplexityIncrease', () => {
  it('relative change', () => {
    expect(perplexityIncrease(10, 11)).toBeCloseTo(0.1, 12);
    expect(perplexityIncrease(10, 9)).toBeCloseTo(-0.1, 12);
  });
});
