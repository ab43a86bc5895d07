import { describe, expect, it } from 'vitest';
import { detectLang, extractDocument, isPageNumberLine, normalizePages, normalizeText } from '../../../ingest/index.js';
import { fixture } from './fixtures.js';

describe('normalizeText', () => {
  it('applies NFKC: full-width ASCII to half-width, ideographic space to space', () => {
    expect(normalizeText('ＡＢＣ１２３！\u3000（测试）')).toBe('ABC123! (测试)');
  });
  it('removes control and zero-width characters but keeps line breaks', () => {
    expect(normalizeText('a\u0000b\u0007c\u200bd\ufeffe\r\nf\u00adg')).toBe('abcde\nfg');
  });
});

describe('normalizePages', () => {
  it('joins lines broken inside a Chinese sentence, keeps breaks after a full stop', () => {
    const page = ['第一节 公司简介', '报告期内，公司围绕大模型与智能制造两条主线开展业务，与科大讯飞、英伟达等', '合作伙伴共同推进行业解决方案落地。', '董事会认为公司治理结构健全。'].join('\n');
    const [out] = normalizePages([page]).pages;
    expect(out).toBe('第一节 公司简介\n报告期内,公司围绕大模型与智能制造两条主线开展业务,与科大讯飞、英伟达等合作伙伴共同推进行业解决方案落地。\n董事会认为公司治理结构健全。');
  });

  it('de-hyphenates English words split at line end and joins continuing lines', () => {
    const page = ['The company opened two new factories and hired three hundred engi-', 'neers to work on perception software and on the control stack that', 'drives the robot arms.', 'Revenue rose.'].join('\n');
    const [out] = normalizePages([page]).pages;
    expect(out).toBe('The company opened two new factories and hired three hundred engineers to work on perception software and on the control stack that drives the robot arms.\nRevenue rose.');
  });

  it('removes running headers, footers and page numbers repeated across pages', () => {
    const bodies = [['Robots sort parcels.', 'Sales grew in Asia.'], ['Costs fell sharply.', 'Two plants opened.'], ['Body text of page 3 is unique: item 21.', 'More content here.'], ['Outlook stays positive.', 'No dividend.']];
    const pages = bodies.map(([a, b], i) => `ACME Annual Report 2024\n${a}\n${b}\nPage ${i + 1} of 4`);
    const r = normalizePages(pages);
    expect(r.removedHeaderFooterLines).toBe(4);
    expect(r.removedPageNumbers).toBe(4);
    expect(r.pages[2]).toBe('Body text of page 3 is unique: item 21.\nMore content here.');
  });

  it('recognises page-number lines in common shapes', () => {
    for (const l of ['12', '- 3 -', 'Page 4', 'page 4 of 10', '第 5 页', '第5页 共20页', 'iv', '7/51']) expect(isPageNumberLine(l)).toBe(true);
    for (const l of ['2024 年度报告', 'Section 3', '表 7.5 停车区用地']) expect(isPageNumberLine(l)).toBe(false);
  });

  it('repairs the generated Chinese and English PDFs end to end', async () => {
    const zh = normalizePages((await extractDocument(fixture('zh-report.pdf'), 'zh.pdf')).pages).pages;
    expect(zh[1]).not.toContain('2024 年度报告');
    expect(zh[1]).not.toMatch(/第 2 页/);
    expect(zh[1]).toContain('英伟达等合作伙伴');
    const en = normalizePages((await extractDocument(fixture('en-report.pdf'), 'en.pdf')).pages).pages;
    expect(en[0]).toContain('three hundred engineers to work');
    expect(en.join('\n')).not.toMatch(/Page \d of 3|Annual Report 2024/);
  });
});

describe('detectLang', () => {
  it('tells zh, en and mixed apart', () => {
    expect(detectLang('公司围绕大模型与智能制造两条主线开展业务。')).toBe('zh');
    expect(detectLang('The company builds warehouse robots for logistics.')).toBe('en');
    expect(detectLang('我们使用 PyTorch and TensorFlow frameworks 训练模型')).toBe('mixed');
    expect(detectLang('2024-01-15 12:00')).toBe('en');
  });
});
