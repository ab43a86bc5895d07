import { parseDocument } from 'htmlparser2';

/** Elements whose text is never content. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head', 'canvas', 'button', 'select', 'textarea', 'input']);
/** Elements that start a new line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul', 'title', 'caption', 'option', 'center',
]);
/** Page furniture by element. `header` only outside article/main (an article's header holds its title). */
const BOILERPLATE_TAGS = new Set(['nav', 'aside', 'footer', 'menu', 'dialog']);
const BOILERPLATE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'dialog', 'alertdialog']);
/** Page furniture by id/class: a word of the name (split at - _ and camelCase) is one of these. */
const BOILERPLATE_WORDS = new Set([
  'nav', 'navbar', 'navigation', 'menu', 'menubar', 'submenu', 'breadcrumb', 'breadcrumbs', 'crumbs', 'masthead', 'sidebar', 'sidenav',
  'cookie', 'cookies', 'consent', 'gdpr', 'advert', 'advertisement', 'ad', 'ads', 'sponsor', 'share', 'sharing', 'social',
  'comment', 'comments', 'related', 'recommend', 'popup', 'modal', 'subscribe', 'newsletter', 'toolbar', 'skip', 'copyright', 'login',
]);
/** …or the whole name is one of these. */
const BOILERPLATE_NAMES = new Set(['header', 'footer', 'site-header', 'site-footer', 'page-header', 'page-footer', 'top', 'bottom', 'topbar']);
/** Elements whose text counts as paragraph text when scoring containers. */
const PARAGRAPH = new Set(['p', 'pre', 'blockquote', 'td']);
/** A container is the main content when its paragraph score reaches this (characters). */
const MIN_CONTENT_SCORE = 150;
/** Lines whose linked characters reach this share are link lists (menus, "related articles"). */
const MAX_LINE_LINK_SHARE = 0.6;

interface DomNode {
  type: string;
  parent: DomNode | null;
  children?: DomNode[];
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
}
interface Stats { chars: number; linkChars: number }

const isElement = (n: DomNode): boolean => n.type === 'tag' || n.type === 'script' || n.type === 'style';
const visibleChars = (s: string): number => s.replace(/\s+/g, '').length;
const nameWords = (name: string): string[] => name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s\-_]+/);

function isHidden(a: Record<string, string>): boolean {
  return a.hidden !== undefined || a['aria-hidden'] === 'true' || /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(a.style ?? '');
}

function insideContent(n: DomNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.name === 'article' || p.name === 'main' || p.attribs?.role === 'main') return true;
  return false;
}

function looksLikeBoilerplate(n: DomNode): boolean {
  const a = n.attribs ?? {};
  const name = n.name ?? '';
  if (BOILERPLATE_TAGS.has(name) || BOILERPLATE_ROLES.has(a.role ?? '')) return true;
  if (name === 'header' && !insideContent(n)) return true;
  for (const token of `${a.id ?? ''} ${a.class ?? ''}`.split(/\s+/).filter(Boolean)) {
    if (BOILERPLATE_NAMES.has(token.toLowerCase())) return true;
    if (nameWords(token).some((w) => BOILERPLATE_WORDS.has(w))) return true;
  }
  return false;
}

/**
 * Visible main-content text of an HTML document. The <title> is kept as the first line; script,
 * style, head and form controls are dropped; page furniture (nav, aside, footer, headers outside an
 * article, menus, cookie banners, share/comment/related boxes — by element, ARIA role, id/class
 * words, or hidden) is dropped; when the page has a main content container (<main>, <article>, or
 * the element holding most paragraph text) only it is kept; lines that are mostly links are
 * dropped. Block elements and <br> become line breaks, cells are separated by tabs. When the
 * filtering would leave nothing, the plain visible text is returned instead.
 */
export function htmlToText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }) as unknown as DomNode;
  const titleEl = findFirst(doc, (n) => n.name === 'title');
  const title = titleEl ? textOf(titleEl) : '';
  const stats = new Map<DomNode, Stats>();
  const removed = new Set<DomNode>(titleEl ? [titleEl] : []);

  // Pass 1: title, text statistics, always-skipped and hidden elements.
  const measure = (n: DomNode, inLink: boolean): Stats => {
    if (n.type === 'text') {
      const c = visibleChars(n.data ?? '');
      return { chars: c, linkChars: inLink ? c : 0 };
    }
    if (!n.children) return { chars: 0, linkChars: 0 };
    if (isElement(n)) {
      if (removed.has(n) || SKIP.has(n.name ?? '') || n.type !== 'tag' || isHidden(n.attribs ?? {})) {
        removed.add(n);
        return { chars: 0, linkChars: 0 };
      }
    }
    const s = { chars: 0, linkChars: 0 };
    for (const c of n.children) {
      const cs = measure(c, inLink || n.name === 'a');
      s.chars += cs.chars;
      s.linkChars += cs.linkChars;
    }
    stats.set(n, s);
    return s;
  };
  const total = measure(doc, false);
  const plain = render([doc], removed, false);

  // Pass 2: page furniture, unless it holds most of the page's own text (then it is a wrapper).
  const ownText = (n: DomNode): number => {
    const s = stats.get(n);
    return s ? s.chars - s.linkChars : 0;
  };
  const docOwn = Math.max(1, total.chars - total.linkChars);
  const prune = (n: DomNode): void => {
    for (const c of n.children ?? []) {
      if (removed.has(c) || !isElement(c)) continue;
      if (looksLikeBoilerplate(c) && ownText(c) < 0.4 * docOwn) removed.add(c);
      else prune(c);
    }
  };
  prune(doc);

  // Pass 3: the main content container(s).
  const explicit: DomNode[] = [];
  const findExplicit = (n: DomNode): void => {
    for (const c of n.children ?? []) {
      if (removed.has(c) || !isElement(c)) continue;
      if (c.name === 'main' || c.name === 'article' || c.attribs?.role === 'main') explicit.push(c);
      else findExplicit(c);
    }
  };
  findExplicit(doc);
  let roots: DomNode[] = [doc];
  if (explicit.reduce((n, e) => n + ownText(e), 0) >= MIN_CONTENT_SCORE) roots = explicit;
  else {
    const best = bestContainer(doc, removed, stats);
    if (best) roots = best;
  }
  const body = render(roots, removed, true);
  const text = body || plain;
  const t = title.replace(/\s+/g, ' ').trim();
  return t ? `${t}\n${text}` : text;
}

/** Readability-style scoring: paragraph text counts fully for its parent and half for its grandparent. */
function bestContainer(doc: DomNode, removed: Set<DomNode>, stats: Map<DomNode, Stats>): DomNode[] | undefined {
  const score = new Map<DomNode, number>();
  const visit = (n: DomNode): void => {
    for (const c of n.children ?? []) {
      if (removed.has(c) || !isElement(c)) continue;
      const s = stats.get(c);
      const own = s ? s.chars - s.linkChars : 0;
      const directText = (c.children ?? []).filter((x) => x.type === 'text').reduce((k, x) => k + visibleChars(x.data ?? ''), 0);
      if ((PARAGRAPH.has(c.name ?? '') && own >= 25) || (c.name === 'div' && directText >= 25)) {
        const points = PARAGRAPH.has(c.name ?? '') ? own : directText;
        if (c.name === 'div') score.set(c, (score.get(c) ?? 0) + points);
        if (c.parent) score.set(c.parent, (score.get(c.parent) ?? 0) + points);
        if (c.parent?.parent) score.set(c.parent.parent, (score.get(c.parent.parent) ?? 0) + points / 2);
      }
      visit(c);
    }
  };
  visit(doc);
  let best: DomNode | undefined;
  let bestScore = 0;
  for (const [n, raw] of score) {
    if (n === doc || n.name === 'body' || n.name === 'html') continue;
    const s = stats.get(n);
    const adjusted = raw * (1 - (s && s.chars ? s.linkChars / s.chars : 0));
    if (adjusted > bestScore) {
      best = n;
      bestScore = adjusted;
    }
  }
  if (!best || bestScore < MIN_CONTENT_SCORE) return undefined;
  // Siblings that score well too (an article split over several containers).
  const siblings = (best.parent?.children ?? []).filter((c) => c === best || (!removed.has(c) && (score.get(c) ?? 0) >= Math.max(MIN_CONTENT_SCORE / 3, bestScore * 0.2)));
  return siblings;
}

/** Lines of text under `roots`, skipping removed subtrees; optionally dropping lines that are mostly links. */
function render(roots: DomNode[], removed: Set<DomNode>, dropLinkLines: boolean): string {
  const lines: Array<{ parts: string[]; chars: number; link: number }> = [];
  let line = { parts: [] as string[], chars: 0, link: 0 };
  const breakLine = (): void => {
    if (line.parts.length) lines.push(line);
    line = { parts: [], chars: 0, link: 0 };
  };
  const walk = (n: DomNode, inLink: boolean): void => {
    if (removed.has(n)) return;
    if (n.type === 'text') {
      const text = (n.data ?? '').replace(/[\r\n]+/g, ' ');
      const c = visibleChars(text);
      line.parts.push(text);
      line.chars += c;
      if (inLink) line.link += c;
      return;
    }
    if (!n.children) return;
    const name = n.name ?? '';
    if (name === 'td' || name === 'th') line.parts.push('\t');
    else if (BLOCK.has(name)) breakLine();
    for (const c of n.children) walk(c, inLink || name === 'a');
    if (BLOCK.has(name) && name !== 'td' && name !== 'th') breakLine();
  };
  for (const r of roots) {
    walk(r, false);
    breakLine();
  }
  breakLine();
  return lines
    .filter((l) => !dropLinkLines || l.chars === 0 || l.link / l.chars < MAX_LINE_LINK_SHARE)
    .map((l) => l.parts.join('').replace(/[ \t\u00a0]+/g, (m) => (m.includes('\t') ? '\t' : ' ')).trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

function findFirst(n: DomNode, test: (n: DomNode) => boolean): DomNode | undefined {
  for (const c of n.children ?? []) {
    if (isElement(c) && test(c)) return c;
    const found = findFirst(c, test);
    if (found) return found;
  }
  return undefined;
}

function textOf(n: DomNode): string {
  if (n.type === 'text') return n.data ?? '';
  return (n.children ?? []).map(textOf).join('');
}

/** Light Markdown → text: drops fences, heading marks, emphasis, link/image syntax. */
export function markdownToText(md: string): string {
  return md
    .split('\n')
    .filter((l) => !/^\s*(```|~~~)/.test(l) && !/^\s*([-*_]\s*){3,}$/.test(l) && !/^\s*\|?\s*:?-{3,}/.test(l))
    .map((l) =>
      l
        .replace(/^\s{0,3}#{1,6}\s+/, '')
        .replace(/^\s*>\s?/, '')
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/^\s*\|(.*)\|\s*$/, (_m, inner: string) => inner.split('|').map((c) => c.trim()).join('\t')),
    )
    .join('\n');
}
