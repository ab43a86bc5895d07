// kgtune registry view for MLOps (served as /registry.js): plain JavaScript, no build step. Talks to
// /v1/ops with the operator key typed in (kept in this tab's sessionStorage only). API data is
// inserted as text; the one exception is the model card, which the API renders to HTML with raw
// HTML disabled and links only to its own download routes.
import { $, apiWithKey, button, DIRECTION, el, say, svg } from '/common.js';
const STORAGE = 'kgtune-operator-key';
let key = sessionStorage.getItem(STORAGE) || '';
const api = apiWithKey(() => key);
let domains = [];

const fmt = (v) => (v == null ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3));

const post = (path, body) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const vpath = (t, d, v) => `/v1/ops/adapters/${encodeURIComponent(t)}/${encodeURIComponent(d)}${v ? `/${v}` : ''}`;

async function login(candidate) {
  key = candidate;
  try {
    const me = await api('/v1/ops/me');
    sessionStorage.setItem(STORAGE, key);
    $('#whoami').textContent = `Signed in as operator ${me.name} (key ${me.keyId}); approvals and rollbacks are recorded under this name.`;
    $('#login').hidden = true; $('#app').hidden = false;
    say('#login-msg', '');
    await load();
  } catch (e) {
    key = ''; sessionStorage.removeItem(STORAGE);
    say('#login-msg', e.status === 401 || e.status === 403 ? `Key refused: ${e.message}` : `Cannot sign in: ${e.message}`, 'error');
  }
}
function logout() {
  key = ''; sessionStorage.removeItem(STORAGE);
  $('#app').hidden = true; $('#login').hidden = false; $('#key').value = '';
}

async function load() {
  const [adapters, approvals] = await Promise.allSettled([api('/v1/ops/adapters'), api('/v1/ops/approvals')]);
  if (adapters.status === 'fulfilled') { domains = adapters.value.domains; showDomains(); }
  else say('#msg', `Cannot read the registry: ${adapters.reason.message}`, 'error');
  if (approvals.status === 'fulfilled') showApprovals(approvals.value.approvals);
  else $('#approvals').replaceChildren(el('p', { class: 'msg error' }, `Approvals unavailable: ${approvals.reason.message}`));
}

function showApprovals(list) {
  if (!list.length) { $('#approvals').replaceChildren(el('p', { class: 'muted' }, 'No promotion is waiting for a decision.')); return; }
  $('#approvals').replaceChildren(...list.map((a) => {
    const comment = el('input', { class: 'comment', placeholder: 'comment (recorded with your name)', maxlength: '2000' });
    const decide = async (decision) => {
      try {
        const r = await post(`/v1/ops/approvals/${encodeURIComponent(a.workflowId)}/${decision}`, comment.value.trim() ? { comment: comment.value.trim() } : {});
        say('#msg', `${decision === 'approve' ? 'Approved' : 'Rejected'} by ${r.review.reviewer}: ${a.tenant}/${a.domain} v${a.version} (${r.state})`, 'ok');
        await load();
      } catch (e) { say('#msg', `Cannot ${decision} (${e.code || e.status}): ${e.message}`, 'error'); }
    };
    return el('div', { class: 'approval', 'data-workflow': a.workflowId },
      el('strong', {}, `${a.tenant} / ${a.domain} v${a.version} → ${a.target}`), el('span', { class: 'muted' }, a.workflowId),
      comment, button('Approve', 'approve', () => decide('approve')), button('Reject', 'reject', () => decide('reject')));
  }));
}

function gateLine(g) {
  return `${g.passed ? '✓' : '✗'} ${g.name}: ${g.value == null ? 'not measured' : g.value.toFixed(3)} (needs ${DIRECTION[g.comparator] || 'vs'} ${g.threshold ?? 'n/a'})`;
}
function gateList(gates) {
  return el('ul', { class: 'gates' }, ...gates.map((g) => el('li', { class: g.passed ? 'pass' : 'fail' }, gateLine(g))));
}
function aliasBadges(aliases) { return el('span', {}, ...aliases.map((a) => el('span', { class: `alias ${a}` }, a))); }

function showDomains() {
  if (!domains.length) { $('#domains').replaceChildren(el('p', { class: 'muted' }, 'No adapters are registered yet.')); return; }
  $('#domains').replaceChildren(...domains.map((d) => {
    const id = `${d.tenant}/${d.domain}`;
    const rows = d.versions.map((v) => el('tr', { 'data-version': v.version },
      el('td', {}, `v${v.version}`), el('td', {}, aliasBadges(v.aliases)),
      el('td', {}, v.passed == null ? 'n/a' : v.passed ? 'passed' : 'failed', gateList(v.gates)),
      el('td', {}, v.corpus || ''), el('td', {}, (v.createdAt || '').slice(0, 19)),
      el('td', {}, button('Details', 'details', () => showVersion(d.tenant, d.domain, v.version)))));
    const pick = (sel) => el('select', { class: sel }, ...d.versions.map((v, i) => { const o = el('option', { value: v.version }, `v${v.version}`); if ((sel === 'cmp-a' ? 1 : 0) === i) o.selected = true; return o; }));
    const a = pick('cmp-a'), b = pick('cmp-b');
    const reason = el('input', { class: 'reason', placeholder: 'reason for the rollback' });
    const held = ['production', 'staging', 'candidate'].filter((al) => d.versions.some((v) => v.aliases.includes(al)));
    const box = el('div', { class: 'domain', 'data-domain': id },
      el('h3', {}, `${d.tenant} / ${d.domain}`),
      el('table', { class: 'versions' }, el('thead', {}, el('tr', {}, ...['version', 'aliases', 'gates', 'corpus', 'registered', ''].map((h) => el('th', {}, h)))), el('tbody', {}, ...rows)));
    if (d.versions.length > 1) box.append(el('p', {}, 'Compare ', a, ' with ', b, ' ', button('Compare', 'compare', () => compare(d, Number(a.value), Number(b.value)))));
    if (held.length) box.append(el('p', {}, reason, ' ', ...held.map((al) => button(`Roll back ${al}`, `rollback rollback-${al}`, () => doRollback(d, al, reason.value.trim())))));
    if (d.aliasHistory.length) box.append(el('ul', { class: 'history' }, ...d.aliasHistory.map((e) => el('li', {}, `#${e.seq} ${e.alias}: v${e.fromVersion ?? '–'} → v${e.toVersion}${e.kind === 'rollback' ? ' (rollback)' : ''} by ${e.actor}${e.reason ? ` — ${e.reason}` : ''} (${e.at.slice(0, 19)})`))));
    return box;
  }));
}

async function doRollback(d, alias, reason) {
  try {
    const r = await post(`${vpath(d.tenant, d.domain)}/rollback`, { alias, ...(reason ? { reason } : {}) });
    say('#msg', `Rolled back ${alias} of ${d.tenant}/${d.domain}: v${r.previous} → v${r.version}`, 'ok');
    await load();
  } catch (e) { say('#msg', `Cannot roll back (${e.code || e.status}): ${e.message}`, 'error'); }
}

/** 0–1 metrics and the rest (perplexity …) on separate scales, as on the customer page. */
const isUnit = (row) => row.values.every((v) => v == null || (v >= 0 && v <= 1)) && !/perplexity|loss/i.test(row.metric);

/** Grouped bars: one group per metric, one bar per series (`names`), scaled to `max`. */
function barChart(rows, names, kind) {
  const colors = ['#9aa6bd', '#2456d6', '#1b7a3a'];
  const rowH = 14 * names.length + 10, labelW = 190, plotW = 330, h = rows.length * rowH + 44;
  const max = kind === 'unit' ? 1 : Math.max(1e-9, ...rows.flatMap((r) => r.values).filter((v) => v != null && Number.isFinite(v)));
  const s = svg('svg', { width: labelW + plotW + 80, height: h, role: 'img', class: `chart ${kind}`, 'aria-label': `metrics of ${names.join(' vs ')}` });
  s.append(svg('text', { x: labelW, y: 11, 'font-size': 11 }, kind === 'unit' ? 'scale 0 – 1' : `scale 0 – ${max.toPrecision(4)} (lower perplexity is better)`));
  rows.forEach((r, i) => {
    const y = i * rowH + 18;
    s.append(svg('text', { x: 0, y: y + 12, 'font-size': 12 }, r.metric));
    r.values.forEach((v, j) => {
      const w = v == null ? 0 : Math.max(1, Math.round(plotW * Math.max(0, Math.min(1, v / max))));
      s.append(svg('rect', { x: labelW, y: y + j * 14, width: w, height: 11, fill: colors[j % colors.length], 'data-series': names[j] }));
      s.append(svg('text', { x: labelW + w + 4, y: y + j * 14 + 9, 'font-size': 10 }, fmt(v)));
    });
  });
  names.forEach((n, j) => {
    s.append(svg('rect', { x: labelW + j * 110, y: h - 14, width: 10, height: 10, fill: colors[j % colors.length] }));
    s.append(svg('text', { x: labelW + j * 110 + 14, y: h - 5, 'font-size': 11 }, n));
  });
  return s;
}

function compare(d, va, vb) {
  const A = d.versions.find((v) => v.version === va), B = d.versions.find((v) => v.version === vb);
  const names = [`v${va}`, `v${vb}`];
  const metrics = [...new Set([...A.metrics, ...B.metrics].map((m) => m.metric))];
  const value = (v, m) => v.metrics.find((x) => x.metric === m)?.adapter ?? null;
  const rows = metrics.map((m) => ({ metric: m, values: [value(A, m), value(B, m)] }));
  const unit = rows.filter(isUnit), other = rows.filter((r) => !isUnit(r));
  const table = el('table', { class: 'compare' },
    el('thead', {}, el('tr', {}, ...['metric (adapter)', ...names, 'Δ'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', { 'data-metric': r.metric }, el('td', {}, r.metric), el('td', {}, fmt(r.values[0])), el('td', {}, fmt(r.values[1])),
      el('td', {}, r.values[0] == null || r.values[1] == null ? 'n/a' : `${r.values[1] - r.values[0] >= 0 ? '+' : ''}${fmt(r.values[1] - r.values[0])}`)))));
  const gates = el('div', { class: 'gate-compare' }, ...[A, B].map((v) => el('div', {}, el('h4', {}, `gates of v${v.version}: ${v.passed == null ? 'n/a' : v.passed ? 'passed' : 'failed'}`), gateList(v.gates))));
  $('#compare').replaceChildren(el('p', {}, `${d.tenant} / ${d.domain}: v${va} vs v${vb}`), ...(unit.length ? [barChart(unit, names, 'unit')] : []), ...(other.length ? [barChart(other, names, 'other')] : []), table, gates);
  $('#compare-box').hidden = false;
}

/** Downloads need the key, so they go through fetch and a blob URL (a plain link would carry no key). */
async function download(href, name) {
  try {
    const res = await fetch(href, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error((await res.json().catch(() => ({})))?.error?.message || `HTTP ${res.status}`);
    const url = URL.createObjectURL(await res.blob());
    const a = el('a', { href: url, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    say('#msg', `Downloaded ${name}`, 'ok');
  } catch (e) { say('#msg', `Cannot download ${name}: ${e.message}`, 'error'); }
}

function chainNode(title, ...lines) { return el('div', { class: 'node' }, el('strong', {}, title), ...lines.map((l) => (l instanceof Node ? l : el('div', {}, l)))); }

async function showVersion(tenant, domain, version) {
  try {
    const v = await api(vpath(tenant, domain, version));
    $('#version-title').textContent = `${tenant} / ${domain} v${version}${v.aliases.length ? ` [${v.aliases.join(', ')}]` : ''}`;
    const L = v.lineage;
    const arrow = () => el('span', { class: 'arrow' }, '→');
    $('#lineage').replaceChildren(el('div', { class: 'chain' },
      chainNode(`${L.documents.length} document(s)`, el('ul', {}, ...L.documents.slice(0, 20).map((d) => el('li', { title: d.sha256 }, `${d.name} (${d.facts} facts)`)))),
      arrow(), chainNode('snapshot', L.snapshot.id, L.snapshot.corpus ? `corpus ${L.snapshot.corpus}` : ''),
      arrow(), chainNode('dataset', L.dataset.id, L.dataset.digest ? `digest ${L.dataset.digest.slice(0, 16)}…` : ''),
      arrow(), chainNode('training run', L.run.id ?? 'not recorded', L.run.steps != null ? `${L.run.steps} steps on ${L.run.backend}` : ''),
      arrow(), chainNode(`adapter v${version}`, v.baseModelId ? `base ${v.baseModelId}` : '')));
    $('#artifacts').replaceChildren(...v.artifacts.map((a) => el('li', { 'data-artifact': a.name }, button(`Download ${a.name}`, 'download', () => download(a.href, a.name.split('/').pop())), ` ${a.kind}, sha256 ${a.sha256.slice(0, 12)}…${a.size != null ? `, ${a.size} bytes` : ''}`)));
    const card = $('#card');
    card.innerHTML = v.modelCardHtml; // rendered by the API with raw HTML disabled; links only to /v1/ops/ routes
    for (const img of card.querySelectorAll('img')) {
      const src = img.getAttribute('src') || '';
      img.removeAttribute('src');
      if (!src.startsWith('/v1/ops/')) continue;
      fetch(src, { headers: { authorization: `Bearer ${key}` } }).then((r) => (r.ok ? r.blob() : null)).then((b) => { if (b) img.src = URL.createObjectURL(b); }).catch(() => {});
    }
    for (const a of card.querySelectorAll('a')) {
      const href = a.getAttribute('href') || '';
      a.addEventListener('click', (ev) => { ev.preventDefault(); if (href.startsWith('/v1/ops/')) void download(href, decodeURIComponent(href.split('/').pop())); });
    }
    $('#version-box').hidden = false;
  } catch (e) { say('#msg', `Cannot show v${version} (${e.code || e.status}): ${e.message}`, 'error'); }
}

$('#login-form').addEventListener('submit', (ev) => { ev.preventDefault(); void login($('#key').value.trim()); });
$('#logout').addEventListener('click', logout);
$('#reload').addEventListener('click', () => { void load(); });
if (key) void login(key);
