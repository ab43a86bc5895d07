// Shared by the customer page (app.mjs) and the registry view (registry.mjs), served as /common.js: DOM helpers that
// insert API data only as text, and the one way both pages call the API with the key typed in.
export const $ = (sel) => document.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
export function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
export function say(target, text, kind = '') { const m = $(target); m.textContent = text; m.className = `msg ${kind}`; }
export function button(label, cls, onClick) {
  const b = el('button', { type: 'button', class: `small ${cls}` }, label);
  b.addEventListener('click', () => { void onClick(); });
  return b;
}
/** How a gate's comparator reads in a sentence. */
export const DIRECTION = { '>=': '≥', '<=': '≤', '==': '=' };

/** `api(path, opts)` with `Authorization: Bearer <key()>`; a failed call throws the API's message, status and code. */
export function apiWithKey(key) {
  return async function api(path, opts = {}) {
    const res = await fetch(path, { ...opts, headers: { ...(opts.headers || {}), authorization: `Bearer ${key()}` } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = new Error(body?.error?.message || `HTTP ${res.status}`);
      err.status = res.status; err.code = body?.error?.code;
      throw err;
    }
    return body;
  };
}
