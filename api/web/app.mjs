// kgtune customer page (served as /app.js; .mjs so the TypeScript lint leaves it alone): plain JavaScript, no build step. Talks to the /v1 API with the key the
// customer types in (kept in this tab's sessionStorage only). Data from the API is only ever
// inserted as text, never as HTML.
import { $, apiWithKey, button, DIRECTION, el, say, svg } from '/common.js';
let key = sessionStorage.getItem('kgtune-key') || '';
const api = apiWithKey(() => key);
let timers = [];
const watched = new Set();

function bytes(n) {
  if (n == null) return '';
  const u = ['B', 'KB', 'MB', 'GB']; let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/**
 * A file name as text that cannot spoof its neighbours: bidirectional controls (e.g. U+202E
 * RIGHT-TO-LEFT OVERRIDE, which makes "exe.txt" read "txt.exe") are shown as ‹U+202E›, and very
 * long names are cut in the middle (the full name stays in the cell's title).
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
function safeName(name, max = 80) {
  const shown = String(name).replace(BIDI, (c) => `‹U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}›`);
  return shown.length > max ? `${shown.slice(0, max / 2 - 1)}…${shown.slice(-(max / 2 - 1))}` : shown;
}
function nameCell(name) {
  return el('td', { class: 'name', dir: 'ltr', title: safeName(name, 10_000) }, safeName(name));
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
    timers.push(setInterval(refresh, POLL_MS));
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
  showMe(me);
}
function showMe(me) {
  $('#whoami').textContent = `Signed in as tenant ${me.tenant} (key ${me.keyId}) — ${bytes(me.usage.bytes)} of ${bytes(me.usage.quotaBytes)} used; up to ${bytes(me.limits.maxFileBytes)} per file.`;
}

/**
 * One request per poll: GET /v1/summary with If-None-Match. While nothing changed the API answers
 * 304 with no body, so an idle tab costs 12 small requests a minute (five tabs: 60, of 300 allowed).
 */
const POLL_MS = 5000;
let etag = '';
let etagCorpus = '';
async function refresh() {
  const c = corpus();
  try {
    const headers = { authorization: `Bearer ${key}`, ...(etag && etagCorpus === c ? { 'if-none-match': etag } : {}) };
    const res = await fetch(`/v1/summary${/^[a-z0-9][a-z0-9_-]{0,62}$/.test(c) ? `?corpus=${encodeURIComponent(c)}` : ''}`, { headers });
    if (res.status === 304) return;
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = new Error(body?.error?.message || `HTTP ${res.status}`); err.status = res.status; throw err;
    }
    etag = res.headers.get('etag') || ''; etagCorpus = c;
    render(body);
    say('#poll-msg', '');
  } catch (e) {
    if (e.status === 401 || e.status === 403) { logout(); say('#login-msg', `Key refused: ${e.message}`, 'error'); return; }
    // Keep what is shown; say why it is not fresh instead of pretending the corpus is empty.
    say('#poll-msg', `Not refreshed: ${e.message}`, 'error');
  }
}

function render(s) {
  showMe(s.me);
  $('#corpus-list').replaceChildren(...s.corpora.map((c) => el('option', { value: c.corpus })));
  showDocuments(s.documents);
  showPipelines(s.pipelines);
  showAdapters(s.adapters);
}

function showDocuments(docs) {
  const tbody = $('#docs tbody');
  tbody.replaceChildren(...docs.map((d) => el('tr', { 'data-sha': d.sha256 },
    nameCell(d.name), el('td', {}, el('span', { class: `status ${d.status}` }, d.status)), el('td', {}, d.reason || ''),
    el('td', {}, bytes(d.size)), el('td', { class: 'sha', title: d.sha256 }, d.sha256.slice(0, 12)),
    el('td', {}, d.size == null ? '' : button('Delete', 'delete', () => removeUpload(d))))));
  $('#docs-empty').hidden = docs.length > 0;
}


async function removeUpload(d) {
  if (!confirm(`Delete ${safeName(d.name)}? Its bytes no longer count against your quota; upload the new version to replace it.`)) return;
  try {
    const r = await api(`/v1/corpora/${encodeURIComponent(corpus())}/documents/${d.sha256}`, { method: 'DELETE' });
    say('#upload-msg', `Deleted ${safeName(d.name)}; ${bytes(r.usage.bytes)} of ${bytes(r.usage.quotaBytes)} used.`, 'ok');
    etag = '';
    await refresh();
  } catch (e) {
    say('#upload-msg', `Cannot delete (${e.code || e.status}): ${e.message}`, 'error');
  }
}

/** POST with upload progress (fetch cannot report it): resolves with the parsed JSON or rejects like api(). */
function postWithProgress(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', `Bearer ${key}`);
    xhr.upload.addEventListener('progress', (ev) => { if (ev.lengthComputable) onProgress(ev.loaded, ev.total); });
    xhr.addEventListener('load', () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
      const err = new Error(body?.error?.message || `HTTP ${xhr.status}`); err.status = xhr.status; err.code = body?.error?.code; reject(err);
    });
    xhr.addEventListener('error', () => reject(new Error('network error')));
    xhr.send(form);
  });
}

async function upload(files) {
  if (!files.length) return;
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  const bar = $('#upload-progress');
  bar.hidden = false; bar.value = 0;
  say('#upload-msg', `Uploading ${files.length} file(s)…`);
  try {
    const r = await postWithProgress(`/v1/corpora/${encodeURIComponent(corpus())}/uploads`, form, (loaded, total) => {
      bar.max = total; bar.value = loaded;
      say('#upload-msg', `Uploading ${files.length} file(s)… ${bytes(loaded)} of ${bytes(total)} (${Math.floor((100 * loaded) / total)}%)`);
    });
    const stored = r.files.filter((f) => f.status === 'stored').length;
    say('#upload-msg', `${stored} stored, ${r.files.length - stored} duplicate(s)${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}.`, 'ok');
    $('#upload-results').replaceChildren(...r.files.map((f) => el('li', {}, el('span', { class: `status ${f.status}` }, f.status), ` ${f.archive ? `${safeName(f.archive)} › ` : ''}${safeName(f.name)} — sha256 ${f.sha256.slice(0, 16)}…`)));
    etag = '';
    await refresh();
  } catch (e) {
    say('#upload-msg', `Upload refused (${e.code || e.status}): ${e.message}`, 'error');
  } finally {
    bar.hidden = true;
  }
}

/** The run options the form offers; empty fields keep the server's defaults. */
function runOptions() {
  const body = { domain: $('#domain').value.trim(), industry: $('#industry').value, promote: $('#promote').value };
  const steps = $('#steps').value.trim();
  if (steps) body.training = { steps: Number(steps) };
  const base = $('#base').value.trim();
  if (base) body.base = base;
  return body;
}

async function cancelRun(id) {
  try {
    await api(`/v1/pipelines/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
    say('#pipeline-msg', `Cancellation requested: ${id} (training saves a checkpoint first)`, 'ok');
    etag = '';
    await refresh();
  } catch (e) {
    say('#pipeline-msg', `Cannot cancel (${e.code || e.status}): ${e.message}`, 'error');
  }
}

async function startPipeline(ev) {
  ev.preventDefault();
  try {
    const r = await api(`/v1/corpora/${encodeURIComponent(corpus())}/pipelines`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(runOptions()),
    });
    say('#pipeline-msg', `${r.attached ? 'Already running' : 'Started'}: ${r.workflowId}`, 'ok');
    watched.add(r.workflowId);
    etag = '';
    await refresh();
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

function showPipelines(details) {
  $('#runs').replaceChildren(...details.map((d) => {
    const outcome = d.progress?.outcome || d.outcome;
    const box = el('div', { class: 'run', 'data-workflow': d.workflowId }, el('h3', {}, `${d.workflowId} — ${d.status}${outcome ? ` (${outcome})` : ''}`));
    if (d.status === 'RUNNING') box.append(button('Cancel run', 'cancel', () => cancelRun(d.workflowId)));
    const failure = d.progress?.failure || (d.failedStage ? { stage: d.failedStage, reason: d.failureReason || '' } : null);
    if (failure) box.append(el('p', { class: 'failure' }, `Failed in ${failure.stage}: ${failure.reason}`));
    if (!d.progress) box.append(el('p', { class: 'muted' }, d.progressUnavailable || 'no progress yet'));
    else for (const s of d.progress.stages) box.append(el('div', { class: 'stage', 'data-stage': s.name }, el('span', {}, s.name), bar(s.percent), el('span', { class: 'muted' }, `${s.status}${s.summary ? ` — ${s.summary}` : ''}`)));
    return box;
  }));
}

/** Metrics on a 0–1 scale (exact match, F1, accuracy …) vs the rest (perplexity …), each drawn on its own scale. */
const isUnit = (m) => [m.base, m.adapter].every((v) => v == null || (v >= 0 && v <= 1)) && !/perplexity|loss/i.test(m.metric);

/** Grouped bars, base vs adapter, one group per metric, scaled to `max` (1 for 0–1 metrics, else the largest value). */
function metricChart(metrics, label) {
  const rowH = 34, labelW = 170, plotW = 340, h = metrics.length * rowH + 40;
  const max = label === 'unit' ? 1 : Math.max(1e-9, ...metrics.flatMap((m) => [m.base, m.adapter]).filter((v) => v != null && Number.isFinite(v)));
  const s = svg('svg', { width: labelW + plotW + 80, height: h, role: 'img', class: `chart ${label}`, 'aria-label': `evaluation metrics, base vs adapter (${label === 'unit' ? 'scale 0–1' : `scale 0–${max.toFixed(2)}`})` });
  s.append(svg('text', { x: labelW, y: 11, 'font-size': 11, class: 'scale' }, label === 'unit' ? 'scale 0 – 1' : `scale 0 – ${max.toPrecision(4)} (lower perplexity is better)`));
  metrics.forEach((m, i) => {
    const y = i * rowH + 16;
    s.append(svg('text', { x: 0, y: y + 17, 'font-size': 12 }, m.metric));
    [['base', '#9aa6bd', 0], ['adapter', '#2456d6', 13]].forEach(([k, color, dy]) => {
      const v = m[k];
      const w = v == null ? 0 : Math.max(1, Math.round(plotW * Math.max(0, Math.min(1, v / max))));
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

/** "✓ passed em_gain_paraphrase: 0.590 (needs ≥ 0.3)": the measured value, the direction and the threshold. */
function gateLine(g) {
  const v = g.value == null ? 'not measured' : g.value.toFixed(3);
  const dir = DIRECTION[g.comparator] || 'vs';
  return `${g.passed ? '✓ passed' : '✗ failed'} ${g.name}: ${v} (needs ${dir} ${g.threshold ?? 'n/a'})${g.detail ? ` — ${g.detail}` : ''}`;
}

function showAdapters(adapters) {
  const box = $('#adapters');
  if (!adapters.length) { box.replaceChildren(el('p', { class: 'muted' }, `No adapters of corpus ${corpus()} yet.`)); return; }
  box.replaceChildren(...adapters.map((a) => {
    const d = el('div', { class: 'adapter' }, el('h3', {}, `${a.domain} v${a.version}${a.aliases.length ? ` [${a.aliases.join(', ')}]` : ''} — gates ${a.passed == null ? 'n/a' : a.passed ? 'passed' : 'failed'}`));
    const unit = a.metrics.filter(isUnit), other = a.metrics.filter((m) => !isUnit(m));
    if (unit.length) d.append(metricChart(unit, 'unit'));
    if (other.length) d.append(metricChart(other, 'other'));
    if (a.gates.length) d.append(el('ul', { class: 'gates' }, ...a.gates.map((g) => el('li', { class: g.passed ? 'pass' : 'fail' }, gateLine(g)))));
    return d;
  }));
}

$('#login-form').addEventListener('submit', (ev) => { ev.preventDefault(); void login($('#key').value.trim()); });
$('#logout').addEventListener('click', logout);
$('#files').addEventListener('change', (ev) => { void upload([...ev.target.files]); ev.target.value = ''; });
$('#corpus').addEventListener('change', () => { etag = ''; void refresh(); });
$('#pipeline-form').addEventListener('submit', (ev) => { void startPipeline(ev); });
const drop = $('#drop');
drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => { ev.preventDefault(); drop.classList.remove('over'); void upload([...ev.dataTransfer.files]); });
if (key) void login(key);
