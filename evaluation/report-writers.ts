import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../configs/artifact-file.js';
import { MIN_RELIABLE_N } from './bootstrap.js';
import { lossCurveSvg, metricBarsSvg } from './charts.js';
import type { BarGroup, LossPoint } from './charts.js';
import type { GateResult } from './gates.js';
import { METRIC_LABELS, METRICS, findGroup } from './report.js';
import type { Baseline, EvalSplit, EvaluationReport, GroupReport, GroupType, MetricName, SystemName } from './report.js';

export const SPLIT_LABELS: Record<EvalSplit | 'all', string> = {
  train: 'train',
  val: 'validation',
  test_paraphrase: 'Test: template swap (trained facts asked with a question template held out for them)',
  test_heldout: 'Test: held-out facts (never trained on) and unanswerable questions',
  test_independent: 'Test: independent questions (written by hand from the documents, not from the templates)',
  all: 'All test splits',
};

const SYSTEM_LABELS: Record<SystemName, string> = { base: 'base', lookup: 'lookup', retrieval: 'base + retrieval', adapter: 'adapter' };

/** The report as pretty JSON; `includeExamples: false` drops the per-example answers. */
export function reportToJson(report: EvaluationReport, opts: { includeExamples?: boolean; gates?: readonly GateResult[] } = {}): string {
  const body = opts.includeExamples === false ? { ...report, examples: undefined } : report;
  return `${JSON.stringify(opts.gates === undefined ? body : { ...body, gates: opts.gates }, null, 2)}\n`;
}

function fmt(v: number | null): string {
  return v === null ? '–' : v.toFixed(3);
}
function fmtDelta(v: number | null): string {
  return v === null ? '' : ` (${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)})`;
}
function fmtCi(v: number | null, iv: readonly [number, number] | null | undefined): string {
  if (v === null) return '–';
  return iv === null || iv === undefined ? v.toFixed(2) : `${v.toFixed(2)} [${iv[0].toFixed(2)}, ${iv[1].toFixed(2)}]`;
}
function fmtGain(v: number | null, iv: readonly [number, number] | null | undefined): string {
  if (v === null) return '–';
  const sign = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
  return iv === null || iv === undefined ? sign(v) : `${sign(v)} [${sign(iv[0])}, ${sign(iv[1])}]`;
}
function cell(g: GroupReport, m: MetricName): string {
  if (g.base.counts[m] === 0) return '';
  return `${fmt(g.base.values[m])} → **${fmt(g.adapter.values[m])}**${fmtDelta(g.delta[m])}`;
}

/** Headline rows: per split, answerable questions (EM, faithfulness, over-refusal) and unanswerable ones (refusal accuracy). */
const HEADLINES: ReadonlyArray<{ type: GroupType; subset: string; metric: MetricName }> = [
  { type: 'answerable', subset: 'answerable', metric: 'exactMatch' },
  { type: 'answerable', subset: 'answerable', metric: 'faithfulness' },
  { type: 'answerable', subset: 'answerable', metric: 'overRefusal' },
  { type: 'refusal', subset: 'unanswerable', metric: 'refusalAccuracy' },
];

/** The comparison table: every system with its 95 % interval, and the adapter's gain over each baseline. */
export function comparisonToMarkdown(report: EvaluationReport): string {
  const systems = report.systems;
  const baselines = systems.filter((s): s is Baseline => s !== 'adapter');
  const lines = [
    `| test set | questions | metric | n | ${systems.map((s) => SYSTEM_LABELS[s]).join(' | ')} | ${baselines.map((b) => `adapter − ${b === 'retrieval' ? `(${SYSTEM_LABELS[b]})` : SYSTEM_LABELS[b]}`).join(' | ')} |`,
    `|---|---|---|--:|${systems.map(() => '--:').join('|')}|${baselines.map(() => '--:').join('|')}|`,
  ];
  for (const split of report.splits) {
    for (const h of HEADLINES) {
      const g = findGroup(report, { split, type: h.type });
      if (g === undefined || g.adapter.counts[h.metric] === 0) continue;
      const n = g.adapter.counts[h.metric];
      const warn = n < MIN_RELIABLE_N ? ' ⚠' : '';
      lines.push(`| ${split} | ${h.subset} | ${METRIC_LABELS[h.metric]} | ${n}${warn} | ${systems.map((s) => fmtCi(g[s]?.values[h.metric] ?? null, g[s]?.intervals[h.metric])).join(' | ')} | ${baselines.map((b) => fmtGain(g.gains[b]?.values[h.metric] ?? null, g.gains[b]?.intervals[h.metric])).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** Markdown: the comparison table, one detail table per split (rows = language × question type), forgetting, gates, charts. */
export function reportToMarkdown(
  report: EvaluationReport,
  opts: { title?: string; gates?: readonly GateResult[]; charts?: ReadonlyArray<{ title: string; href: string }> } = {},
): string {
  const out: string[] = [`# ${opts.title ?? 'Evaluation report'}`, '', `Generated ${report.createdAt}.`, ''];
  out.push('## Adapter vs baselines', '');
  out.push('Same questions, same greedy decoding. *lookup*: the training answer of the most similar training question (character 3-gram Jaccard), no model; *base + retrieval*: the base model with the top evidence sentences of the graph in its prompt. Exact match is against the canonical answer (a list needs all its items, true/false is scored on the verdict, an unanswerable question on declining). Cells: mean [95 % bootstrap interval]; ⚠ marks n < 30.', '');
  out.push(comparisonToMarkdown(report), '');
  out.push('Test sets: ' + report.splits.map((s) => `\`${s}\` — ${SPLIT_LABELS[s]}`).join('; ') + '.', '');
  if (report.warnings.length > 0) out.push('**Warnings**', '', ...report.warnings.map((w) => `- ${w}`), '');
  out.push('## Detail: base → adapter per language and question type', '', 'Cells read *base → **adapter** (adapter − base)*; blank = metric does not apply.', '');
  const splits: Array<EvalSplit | 'all'> = [...report.splits, 'all'];
  for (const split of splits) {
    const rows = report.groups.filter((g) => g.split === split);
    if (rows.length === 0) continue;
    rows.sort((a, b) => order(a.lang) - order(b.lang) || a.lang.localeCompare(b.lang) || order(a.type) - order(b.type) || a.type.localeCompare(b.type));
    out.push(`### ${SPLIT_LABELS[split]}`, '');
    out.push(`| lang | type | n | ${METRICS.map((m) => METRIC_LABELS[m]).join(' | ')} |`);
    out.push(`|---|---|--:|${METRICS.map(() => '---').join('|')}|`);
    for (const g of rows) {
      const strong = g.type === 'all' || g.type === 'answerable' ? '**' : '';
      out.push(`| ${strong}${g.lang}${strong} | ${strong}${g.type}${strong} | ${g.n} | ${METRICS.map((m) => cell(g, m)).join(' | ')} |`);
    }
    out.push('');
  }
  const p = report.perplexity;
  out.push('## Forgetting', '', '### General-text perplexity', '');
  if (p.base === null && p.adapter === null) out.push('Not measured.', '');
  else {
    out.push('| texts | disjoint from pretraining and replay | base | adapter | relative change |', '|--:|---|--:|--:|--:|');
    out.push(`| ${p.texts ?? '–'} | ${p.disjointFromPretraining === undefined ? 'not checked' : p.disjointFromPretraining ? 'yes' : '**no**'} | ${fmt(p.base)} | ${fmt(p.adapter)} | ${p.relativeIncrease === null ? '–' : `${(p.relativeIncrease * 100).toFixed(1)} %`} |`, '');
  }
  out.push('### General questions the base answers well', '');
  const q = report.generalQa;
  out.push(q === undefined ? 'Not measured (no general question set for this base).' : `${q.n} questions: base ${fmt(q.base)} → adapter ${fmt(q.adapter)}; ${q.forgotten} the base answered right are now wrong (kept ${fmt(q.base === 0 ? null : 1 - q.forgotten / Math.round(q.base * q.n))} of the base-correct ones).${q.note ? ` ${q.note}` : ''}`, '');
  if (opts.gates !== undefined) out.push('## Gates', '', gatesToMarkdown(opts.gates), '');
  if (opts.charts !== undefined && opts.charts.length > 0) {
    out.push('## Charts', '');
    for (const c of opts.charts) out.push(`![${c.title}](${c.href})`, '');
  }
  return out.join('\n');
}

export function gatesToMarkdown(gates: readonly GateResult[]): string {
  const lines = ['| gate | value | threshold | verdict | detail |', '|---|--:|--:|---|---|'];
  for (const g of gates) {
    const v = g.value === null ? '–' : typeof g.value === 'number' ? String(Number(g.value.toFixed(4))) : String(g.value);
    lines.push(`| ${g.name} | ${v} | ${g.comparator} ${g.threshold} | ${g.verdict === 'pass' ? '✅ pass' : '❌ fail'} | ${(g.detail ?? '').replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

function order(s: string): number {
  return s === 'all' ? 1 : 0;
}

/** Bars for one split's overall row (all languages, all types). */
export function barsForSplit(report: EvaluationReport, split: EvalSplit | 'all'): BarGroup[] {
  const g = findGroup(report, { split });
  if (g === undefined) return [];
  return METRICS.filter((m) => g.base.counts[m] > 0).map((m) => ({ label: METRIC_LABELS[m], base: g.base.values[m], adapter: g.adapter.values[m] }));
}

export interface WrittenReport {
  json: string;
  markdown: string;
  charts: Record<string, string>;
}


/**
 * Writes report.json, report.md and the charts (loss curve when losses are given, bars per
 * split) into `dir`; the markdown links the charts by relative path.
 */
export async function writeReport(
  report: EvaluationReport,
  dir: string,
  opts: { title?: string; losses?: readonly LossPoint[]; gates?: readonly GateResult[] } = {},
): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const charts: Record<string, string> = {};
  const links: Array<{ title: string; href: string }> = [];
  if (opts.losses !== undefined && opts.losses.length > 0) {
    const file = 'loss.svg';
    await writeFileAtomic(path.join(dir, file), lossCurveSvg(opts.losses));
    charts.loss = path.join(dir, file);
    links.push({ title: 'Training and validation loss', href: file });
  }
  for (const split of [...report.splits, 'all' as const]) {
    const bars = barsForSplit(report, split);
    if (bars.length === 0) continue;
    const file = `metrics-${split.replace(/_/g, '-')}.svg`;
    const t = `Base vs adapter — ${SPLIT_LABELS[split]}`;
    await writeFileAtomic(path.join(dir, file), metricBarsSvg(bars, { title: t }));
    charts[`metrics-${split}`] = path.join(dir, file);
    links.push({ title: t, href: file });
  }
  const json = path.join(dir, 'report.json');
  const markdown = path.join(dir, 'report.md');
  await writeFileAtomic(json, reportToJson(report, { gates: opts.gates }));
  await writeFileAtomic(markdown, reportToMarkdown(report, { title: opts.title, gates: opts.gates, charts: links }));
  return { json, markdown, charts };
}
