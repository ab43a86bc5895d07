/** HTML to text: only the main content survives; page furniture (nav, header, footer, menus, banners, link lists) is dropped. */
import { describe, expect, it } from 'vitest';
import { extractDocument, htmlToText } from '../../../ingest/index.js';
import { utf8 } from './fixtures.js';

const P1 = '兰陵精密机械有限公司总部位于常州，主要产品是伺服电机和精密减速机，年产能达到十二万台。';
const P2 = 'The Changzhou plant runs three shifts and ships servo motors to customers in Suzhou and Wuxi every week.';
const P3 = '公司于二〇二三年通过了质量管理体系认证，并与多家汽车零部件企业建立了长期合作关系。';

describe('htmlToText: main content only', () => {
  it('semantic page: drops header, nav, aside, footer, menu, cookie banner, scripts; keeps the article and the title', () => {
    const html = `<!DOCTYPE html><html><head><title>兰陵新闻</title><style>.x{}</style></head><body>
      <header><a href="/">Lanling Home</a><nav><ul><li><a href="/a">产品中心</a></li><li><a href="/b">关于我们</a></li></ul></nav></header>
      <div id="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
      <menu><li>Print this page</li></menu>
      <main><article>
        <header><h1>兰陵扩产</h1><p>2024-05-01</p></header>
        <p>${P1}</p><p>${P2}</p><p>${P3}</p>
      </article></main>
      <aside><h3>热门文章</h3><p>侧栏推荐的其他内容，与本文无关。</p></aside>
      <footer>© 2024 Lanling. 沪ICP备12345678号</footer>
      <script>track("不要")</script>
    </body></html>`;
    const text = htmlToText(html);
    expect(text.split('\n')[0]).toBe('兰陵新闻');
    for (const p of [P1, P2, P3, '兰陵扩产', '2024-05-01']) expect(text).toContain(p);
    for (const junk of ['Lanling Home', '产品中心', 'cookies', 'Accept all', 'Print this page', '热门文章', '侧栏推荐', '© 2024', 'ICP', 'track']) expect(text).not.toContain(junk);
  });

  it('div soup (no semantic tags, as on many Chinese news sites): keeps the container holding the paragraphs', () => {
    const links = (xs: string[]): string => xs.map((x) => `<a href="/${x}">${x}</a>`).join(' | ');
    const html = `<html><head><title>新闻_兰陵网</title></head><body>
      <div id="topNav">${links(['首页', '新闻', '体育', '娱乐', '财经', '科技'])}</div>
      <div class="crumbs"><a href="/">首页</a> &gt; 科技 &gt; 正文</div>
      <div class="wrap"><div class="left">
        <div id="Cnt-Main-Article"><p>${P1}</p><p>${P2}</p><p>${P3}</p></div>
        <div class="shareBox">分享到：${links(['微博', '微信', 'QQ空间'])}</div>
        <div class="box"><h3>推荐阅读</h3><ul>${['一条很长的推荐新闻标题甲乙丙', '另一条很长的推荐新闻标题丁戊己'].map((t) => `<li><a href="/x">${t}</a></li>`).join('')}</ul></div>
      </div><div class="right"><div class="box">${links(['排行一', '排行二', '排行三'])}</div></div></div>
      <div id="footer">关于我们 | 联系方式 | 版权所有 © 兰陵网</div>
    </body></html>`;
    const text = htmlToText(html);
    expect(text).toBe(`新闻_兰陵网\n${P1}\n${P2}\n${P3}`);
  });

  it('keeps a wrapper whose class merely contains a furniture word, and drops hidden elements', () => {
    const html = `<body><div class="page has-sidebar"><p>${P1}</p><p>${P2}</p>
      <div style="display: none">隐藏的内容</div><div hidden>也隐藏</div><span aria-hidden="true">图标</span></div></body>`;
    const text = htmlToText(html);
    expect(text).toBe(`${P1}\n${P2}`);
  });

  it('table cells of a row stay on one line, separated by tabs', () => {
    const html = `<body><p>${P1}</p><table><tr><th>型号</th><th>功率</th></tr><tr><td>LS-200</td><td>2 kW</td></tr></table></body>`;
    expect(htmlToText(html)).toBe(`${P1}\n型号\t功率\nLS-200\t2 kW`);
  });

  it('a page that is nothing but links is not emptied: its visible text is kept', async () => {
    const html = '<html><head><title>导航</title></head><body><div class="nav"><a href="/1">第一页</a> <a href="/2">第二页</a></div></body></html>';
    const text = htmlToText(html);
    expect(text).toBe('导航\n第一页 第二页');
    const ex = await extractDocument(utf8(html), 'links.html');
    expect(ex.status).toBe('ok');
  });
});
