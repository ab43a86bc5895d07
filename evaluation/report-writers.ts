import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Split } from '../synthesis/model.js';
import { lossCurveSvg, metricBarsSvg } from './charts.js';
import type { BarGroup, LossPoint } from './charts.js';
import type { GateResult } from './gates.js';
import { METRIC_LABELS, METRICS, findGroup } from './report.js';
import type { EvaluationReport, GroupReport, MetricName } from './report.js';

const SPLIT_LABELS: Record<Split | 'all', string> = {
  train: 'train',
  val: 'validation',
  test_paraphrase: 'Test (paraphrased questions)',
  test_heldout: 'Test (held-out facts)',
  all: 'All test splits',
};

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
function cell(g: GroupReport, m: MetricName): string {
  if (g.base.counts[m] === 0) return '';
  return `${fmt(g.base.values[m])} → **${fmt(g.adapter.values[m])}**${fmtDelta(g.delta[m])}`;
}

/** Markdown: one table per split (rows = language × question type), perplexity, gates, charts. */
export function reportToMarkdown(
  report: EvaluationReport,
  opts: { title?: string; gates?: readonly GateResult[]; charts?: ReadonlyArray<{ title: string; href: string }> } = {},
): string {
  const out: string[] = [`# ${opts.title ?? 'Evaluation report'}`, '', `Generated ${report.createdAt}. Cells read *base → **adapter** (adapter − base)*; blank = metric does not apply.`, ''];
  const splits: Array<Split | 'all'> = [...report.splits, 'all'];
  for (const split of splits) {
    const rows = report.groups.filter((g) => g.split === split);
    if (rows.length === 0) continue;
    rows.sort((a, b) => order(a.lang) - order(b.lang) || a.lang.localeCompare(b.lang) || order(a.type) - order(b.type) || a.type.localeCompare(b.type));
    out.push(`## ${SPLIT_LABELS[split]}`, '');
    out.push(`| lang | type | n | ${METRICS.map((m) => METRIC_LABELS[m]).join(' | ')} |`);
    out.push(`|---|---|--:|${METRICS.map(() => '---').join('|')}|`);
    for (const g of rows) {
      const strong = g.type === 'all' ? '**' : '';
      out.push(`| ${strong}${g.lang}${strong} | ${strong}${g.type}${strong} | ${g.n} | ${METRICS.map((m) => cell(g, m)).join(' | ')} |`);
    }
    out.push('');
  }
  const p = report.perplexity;
  out.push('## General-text perplexity (forgetting check)', '');
  if (p.base === null && p.adapter === null) out.push('Not measured.', '');
  else out.push('| base | adapter | relative change |', '|--:|--:|--:|', `| ${fmt(p.base)} | ${fmt(p.adapter)} | ${p.relativeIncrease === null ? '–' : `${(p.relativeIncrease * 100).toFixed(1)} %`} |`, '');
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
export function barsForSplit(report: EvaluationReport, split: Split | 'all'): BarGroup[] {
  const g = findGroup(report, { split });
  if (g === undefined) return [];
  return METRICS.filter((m) => g.base.counts[m] > 0).map((m) => ({ label: METRIC_LABELS[m], base: g.base.values[m], adapter: g.adapter.values[m] }));
}

export interface WrittenReport {
  json: string;
  markdown: string;
  charts: Record<string, string>;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
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
    await writeAtomic(path.join(dir, file), lossCurveSvg(opts.losses));
    charts.loss = path.join(dir, file);
    links.push({ title: 'Training and validation loss', href: file });
  }
  for (const split of [...report.splits, 'all' as const]) {
    const bars = barsForSplit(report, split);
    if (bars.length === 0) continue;
    const file = `metrics-${split.replace(/_/g, '-')}.svg`;
    const t = `Base vs adapter — ${SPLIT_LABELS[split]}`;
    await writeAtomic(path.join(dir, file), metricBarsSvg(bars, { title: t }));
    charts[`metrics-${split}`] = path.join(dir, file);
    links.push({ title: t, href: file });
  }
  const json = path.join(dir, 'report.json');
  const markdown = path.join(dir, 'report.md');
  await writeAtomic(json, reportToJson(report, { gates: opts.gates }));
  await writeAtomic(markdown, reportToMarkdown(report, { title: opts.title, gates: opts.gates, charts: links }));
  return { json, markdown, charts };
}
