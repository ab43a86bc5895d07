/**
 * A model card (registry/model-card.ts, markdown) as HTML the registry view can insert: markdown-it
 * with raw HTML off (every `<` in the card becomes text), links and images allowed only to the API's
 * own download routes (`/v1/ops/…`): a `file://`, `javascript:` or any other address is not linked.
 */
import MarkdownIt from 'markdown-it';
import type { AdapterDetail } from '../registry/index.js';
import { renderModelCard } from '../registry/index.js';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.validateLink = (url: string): boolean => url.startsWith('/v1/ops/') && !url.includes('..') && !url.includes('\\');

/** The card of `detail` (whose artifact addresses are already API routes) rendered to safe HTML. */
export function modelCardHtml(detail: AdapterDetail): string {
  return markdownToSafeHtml(renderModelCard(detail));
}

/**
 * The card folds its resolved training config into `<details><summary>…</summary> … </details>`; with raw
 * HTML off those arrive escaped, as whole paragraphs. Exactly those paragraphs become the real elements
 * again (the summary text is escaped text without `<` or `&`); any other HTML in the card stays text.
 */
const DETAILS_OPEN = /<p>&lt;details&gt;&lt;summary&gt;([^<&]{0,200})&lt;\/summary&gt;<\/p>/g;
const DETAILS_CLOSE = /<p>&lt;\/details&gt;<\/p>/g;

export function markdownToSafeHtml(markdown: string): string {
  return md.render(markdown).replace(DETAILS_OPEN, '<details><summary>$1</summary>').replace(DETAILS_CLOSE, '</details>');
}
