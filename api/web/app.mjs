// kgtune customer page (served as /app.js; .mjs so the TypeScript lint leaves it alone): plain JavaScript, no build step. Talks to the /v1 API with the key the
// customer types in (kept in this tab's sessionStorage only). Data from the API is only ever
// inserted as text, never as HTML.
const $ = (sel) => document.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';
let key = sessionStorage.getItem('kgtune-key') || '';
let timers = [];
const watched = new Set();

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
function say(target, text, kind = '') { const m = $(target); m.textContent = text; m.className = `msg ${kind}`; }
function bytes(n) {
  if (n == null) return '';
  const u = ['B', 'KB', 'MB', 'GB']; let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

async function api(path, opts = {}) {
  const res = await fetch(path, { ...opts, headers: { ...(opts.headers || {}), authorization: `Bearer ${key}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body?.error?.message || `HTTP ${res.status}`);
    err.status = res.status; err.code = body?.error?.code;
    throw err;
  }
  return body;
}

function corpus() { return $('#corpus').value.trim(); }

async function login(candidate) {
  key = candidate;
  try {
    await loadMe();
    sessionStorage.setItem('kgtune-key', key);
    $('#login').hidden = true; $('#app').hidden = false;
    say('#login-msg', '');
    await refresh();
    timers.push(setInterval(refresh, 3000));
  } catch (e) {
    key = ''; sessionStorage.removeItem('kgtune-key');
    say('#login-msg', e.status === 401 || e.status === 403 ? `Key refused: ${e.message}` : `Cannot sign in: ${e.message}`, 'error');
  }
}

function logout() {
  timers.forEach(clearInterval); timers = []; watched.clear();
  key = ''; sessionStorage.removeItem('kgtune-key');
  $('#app').hidden = true; $('#login').hidden = false; $('#key').value = '';
}

async function loadMe() {
  const me = await api('/v1/me');
  $('#whoami').textContent = `Signed in as tenant ${me.tenant} (key ${me.keyId}) — ${bytes(me.usage.bytes)} of ${bytes(me.usage.quotaBytes)} used; up to ${bytes(me.limits.maxFileBytes)} per file.`;
}

async function refresh() {
  await Promise.all([loadMe(), loadCorpora(), loadDocuments(), loadPipelines(), loadAdapters()]).catch((e) => {
    if (e.status === 401 || e.status === 403) { logout(); say('#login-msg', `Key refused: ${e.message}`, 'error'); }
  });
}

async function loadCorpora() {
  const { corpora } = await api('/v1/corpora');
  const list = $('#corpus-list'); list.replaceChildren(...corpora.map((c) => el('option', { value: c.corpus })));
}

async function loadDocuments() {
  const c = corpus();
  const tbody = $('#docs tbody');
  let docs = [];
  try { docs = (await api(`/v1/corpora/${encodeURIComponent(c)}/documents`)).documents; } catch (e) { if (e.status !== 404 && e.status !== 400) throw e; }
  tbody.replaceChildren(...docs.map((d) => el('tr', { 'data-sha': d.sha256 },
    el('td', {}, d.name), el('td', {}, el('span', { class: `status ${d.status}` }, d.status)), el('td', {}, d.reason || ''),
    el('td', {}, bytes(d.size)), el('td', { class: 'sha', title: d.sha256 }, d.sha256.slice(0, 12)))));
  $('#docs-empty').hidden = docs.length > 0;
}

async function upload(files) {
  if (!files.length) return;
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  say('#upload-msg', `Uploading ${files.length} file(s)…`);
  try {
    const r = await api(`/v1/corpora/${encodeURIComponent(corpus())}/uploads`, { method: 'POST', body: form });
    const stored = r.files.filter((f) => f.status === 'stored').length;
    say('#upload-msg', `${stored} stored, ${r.files.length - stored} duplicate(s)${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}.`, 'ok');
    $('#upload-results').replaceChildren(...r.files.map((f) => el('li', {}, el('span', { class: `status ${f.status}` }, f.status), ` ${f.archive ? `${f.archive} › ` : ''}${f.name} — sha256 ${f.sha256.slice(0, 16)}…`)));
    await refresh();
  } catch (e) {
    say('#upload-msg', `Upload refused (${e.code || e.status}): ${e.message}`, 'error');
  }
}

async function startPipeline(ev) {
  ev.preventDefault();
  try {
    const r = await api(`/v1/corpora/${encodeURIComponent(corpus())}/pipelines`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: $('#domain').value.trim(), industry: $('#industry').value }),
    });
    say('#pipeline-msg', `${r.attached ? 'Already running' : 'Started'}: ${r.workflowId}`, 'ok');
    watched.add(r.workflowId);
    await loadPipelines();
  } catch (e) {
    say('#pipeline-msg', `Cannot start (${e.code || e.status}): ${e.message}`, 'error');
  }
}

function bar(percent, width = 180) {
  const s = svg('svg', { width, height: 14, role: 'img', 'aria-label': `${percent}%` });
  s.append(svg('rect', { x: 0, y: 0, width, height: 14, rx: 3, fill: '#e6e9ef' }));
  s.append(svg('rect', { x: 0, y: 0, width: Math.round((width * Math.max(0, Math.min(100, percent))) / 100), height: 14, rx: 3, fill: '#2456d6' }));
  return s;
}

async function loadPipelines() {
  const { pipelines } = await api('/v1/pipelines');
  for (const p of pipelines) if (p.status === 'RUNNING') watched.add(p.workflowId);
  const shown = [...new Set([...watched, ...pipelines.slice(0, 3).map((p) => p.workflowId)])];
  const details = await Promise.all(shown.map((id) => api(`/v1/pipelines/${encodeURIComponent(id)}`).catch(() => null)));
  $('#runs').replaceChildren(...details.filter(Boolean).map((d) => {
    const box = el('div', { class: 'run', 'data-workflow': d.workflowId }, el('h3', {}, `${d.workflowId} — ${d.status}`));
    if (!d.progress) box.append(el('p', { class: 'muted' }, d.progressUnavailable || 'no progress yet'));
    else for (const s of d.progress.stages) box.append(el('div', { class: 'stage' }, el('span', {}, s.name), bar(s.percent), el('span', { class: 'muted' }, `${s.status}${s.summary ? ` — ${s.summary}` : ''}`)));
    if (d.status !== 'RUNNING') watched.delete(d.workflowId);
    return box;
  }));
}

/** Grouped bars, base vs adapter, one group per metric (values 0–1). */
function metricChart(metrics) {
  const rowH = 34, labelW = 150, plotW = 360, h = metrics.length * rowH + 24;
  const s = svg('svg', { width: labelW + plotW + 60, height: h, role: 'img', 'aria-label': 'evaluation metrics, base vs adapter' });
  metrics.forEach((m, i) => {
    const y = i * rowH;
    s.append(svg('text', { x: 0, y: y + 17, 'font-size': 12 }, m.metric));
    [['base', '#9aa6bd', 0], ['adapter', '#2456d6', 13]].forEach(([k, color, dy]) => {
      const v = m[k];
      const w = v == null ? 0 : Math.max(1, Math.round(plotW * Math.max(0, Math.min(1, v))));
      s.append(svg('rect', { x: labelW, y: y + 4 + dy, width: w, height: 11, fill: color }));
      s.append(svg('text', { x: labelW + w + 4, y: y + 13 + dy, 'font-size': 10 }, v == null ? 'n/a' : v.toFixed(3)));
    });
  });
  s.append(svg('rect', { x: labelW, y: h - 14, width: 10, height: 10, fill: '#9aa6bd' }));
  s.append(svg('text', { x: labelW + 14, y: h - 5, 'font-size': 11 }, 'base'));
  s.append(svg('rect', { x: labelW + 60, y: h - 14, width: 10, height: 10, fill: '#2456d6' }));
  s.append(svg('text', { x: labelW + 74, y: h - 5, 'font-size': 11 }, 'adapter'));
  return s;
}

const DIRECTION = { '>=': '≥', '<=': '≤', '==': '=' };
/** "✓ em_gain_paraphrase 0.590 ≥ 0.300 (needed)": the measured value, the direction and the threshold. */
function gateLine(g) {
  const v = g.value == null ? 'not measured' : g.value.toFixed(3);
  const dir = DIRECTION[g.comparator] || 'vs';
  return `${g.passed ? '✓ passed' : '✗ failed'} ${g.name}: ${v} (needs ${dir} ${g.threshold ?? 'n/a'})${g.detail ? ` — ${g.detail}` : ''}`;
}

async function loadAdapters() {
  const { adapters } = await api('/v1/adapters');
  const box = $('#adapters');
  if (!adapters.length) { box.replaceChildren(el('p', { class: 'muted' }, 'No adapters yet.')); return; }
  box.replaceChildren(...adapters.map((a) => {
    const d = el('div', { class: 'adapter' }, el('h3', {}, `${a.domain} v${a.version}${a.aliases.length ? ` [${a.aliases.join(', ')}]` : ''} — gates ${a.passed == null ? 'n/a' : a.passed ? 'passed' : 'failed'}`));
    if (a.metrics.length) d.append(metricChart(a.metrics));
    if (a.gates.length) d.append(el('ul', { class: 'gates' }, ...a.gates.map((g) => el('li', { class: g.passed ? 'pass' : 'fail' }, gateLine(g)))));
    return d;
  }));
}

$('#login-form').addEventListener('submit', (ev) => { ev.preventDefault(); void login($('#key').value.trim()); });
$('#logout').addEventListener('click', logout);
$('#files').addEventListener('change', (ev) => { void upload([...ev.target.files]); ev.target.value = ''; });
$('#corpus').addEventListener('change', () => { void loadDocuments(); });
$('#pipeline-form').addEventListener('submit', (ev) => { void startPipeline(ev); });
const drop = $('#drop');
drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => { ev.preventDefault(); drop.classList.remove('over'); void upload([...ev.dataTransfer.files]); });
if (key) void login(key);
