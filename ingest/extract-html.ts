import { Parser } from 'htmlparser2';

/** Elements whose text is never content. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head']);
/** Elements that start a new line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul', 'title', 'caption', 'option', 'center',
]);

/**
 * Visible text of an HTML document: script/style/head dropped (the <title> kept as the first
 * line), block elements and <br> become line breaks, cells are separated by tabs.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let skipDepth = 0;
  let title = '';
  let inTitle = false;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (SKIP.has(name)) skipDepth++;
        else if (name === 'td' || name === 'th') out.push('\t');
        else if (BLOCK.has(name)) out.push('\n');
      },
      ontext(text) {
        if (inTitle) title += text;
        else if (skipDepth === 0) out.push(text.replace(/[\r\n]+/g, ' '));
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCK.has(name)) out.push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const body = out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, (m) => (m.includes('\t') ? '\t' : ' ')).trim())
    .filter((l) => l.length > 0)
    .join('\n');
  const t = title.replace(/\s+/g, ' ').trim();
  return t ? `${t}\n${body}` : body;
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
