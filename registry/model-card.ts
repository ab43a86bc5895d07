import { gatesToMarkdown, SPLIT_LABELS, METRIC_LABELS, METRICS } from '../evaluation/index.js';
import type { GroupReport } from '../evaluation/index.js';
import type { AdapterDetail } from './catalog.js';
import { splitTrainedOn } from '../training/contract.js';

const DEFAULT_USE =
  'Answering questions about this domain from facts proven by the tenant’s own documents, with the base model for everything else. ' +
  'Not for decisions without human review; answers outside the training documents fall back to the base model’s general knowledge.';

function groupsOf(metrics: Record<string, unknown>): GroupReport[] {
  return Array.isArray(metrics.groups) ? (metrics.groups as GroupReport[]) : [];
}

function f(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : v.toFixed(3);
}

/** The model card of one version, in markdown: base, data, training, metrics, gates, lineage, aliases, use. */
export function renderModelCard(d: AdapterDetail, opts: { charts?: ReadonlyArray<{ title: string; href: string }> } = {}): string {
  const a = d.adapter;
  const lines: string[] = [
    `# Adapter ${a.domain} v${a.version}`,
    '',
    `| | |`,
    `|---|---|`,
    `| adapter id | \`${a.id}\` |`,
    `| weights sha256 | \`${a.sha256}\` (${a.sizeBytes} bytes with config) |`,
    `| aliases | ${a.aliases.length === 0 ? '–' : a.aliases.join(', ')} |`,
    `| registered | ${a.createdAt} |`,
    `| artifacts | [weights](${a.weightsUri}) · [manifest](${a.manifestUri}) |`,
    '',
    '## Base model',
    '',
    `\`${a.baseModelId}\` (sha256 \`${a.baseModelSha256}\`). Format: PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors).`,
    '',
    `Base id \`${a.baseModelId}\`, stored immutably in the base catalogue as \`models/bases/${a.baseModelSha256}/\` (\`./kgtune base list\`); evaluate and serve this adapter only with that base.`,
    '',
    '## Data',
    '',
    `Dataset \`${a.datasetId}\` (digest \`${a.datasetDigest}\`), synthesised from graph snapshot \`${a.snapshotId}\`.`,
    '',
    `Industry pack: ${a.industry ? `\`${a.industry}\` (configs/industries/${a.industry}.yaml: the entity and relation types extracted, the question templates)` : 'not recorded'}.`,
    '',
  ];
  const run = d.trainingRun;
  if (run !== null) {
    const trained = splitTrainedOn(run.backend);
    lines.push('## Training', '', `Run \`${run.id}\` on backend \`${trained.backend}\`, ${run.steps} steps; final train loss ${f(run.finalTrainLoss)}, final validation loss ${f(run.finalValLoss)}.`, '');
    lines.push(`Device: ${trained.device ?? 'not recorded'}.`, '');
    lines.push('<details><summary>Resolved training config</summary>', '', '```json', JSON.stringify(run.config, null, 2), '```', '', '</details>', '');
  }
  lines.push('## Evaluation', '');
  const ev = d.evaluation;
  if (ev === null) lines.push('No evaluation stored.', '');
  else {
    const byLang = groupsOf(ev.metrics).filter((g) => g.lang === 'all');
    // reports before the baselines (no answerable roll-up): the overall rows
    const split = byLang.filter((g) => g.type === 'answerable' || g.type === 'refusal');
    const overall = split.length > 0 ? split : byLang.filter((g) => g.type === 'all');
    if (overall.length > 0) {
      const sys = (g: GroupReport, m: (typeof METRICS)[number]) => [g.base, g.lookup, g.retrieval, g.adapter].map((s) => (s === undefined ? '–' : f(s.values[m])));
      lines.push('| test set | questions | n | metric | base | lookup | base + retrieval | adapter |', '|---|---|--:|---|--:|--:|--:|--:|');
      for (const g of overall) {
        for (const m of METRICS.filter((x) => (g.adapter.counts[x] ?? 0) > 0 && ['exactMatch', 'faithfulness', 'overRefusal', 'refusalAccuracy'].includes(x))) {
          lines.push(`| ${SPLIT_LABELS[g.split] ?? g.split} | ${g.type === 'refusal' ? 'unanswerable' : g.type === 'answerable' ? 'answerable' : 'all'} | ${g.adapter.counts[m]} | ${METRIC_LABELS[m]} | ${sys(g, m).join(' | ')} |`);
        }
      }
      lines.push('', '*lookup*: the training answer of the most similar training question (no model); *base + retrieval*: the base with the top evidence sentences in its prompt. Exact match is against the canonical answer.', '');
    } else {
      lines.push('```json', JSON.stringify(ev.metrics, null, 2), '```', '');
    }
    const charts = opts.charts ?? Object.entries(a.reports).filter(([name]) => name.endsWith('.svg') || name.endsWith('.png')).map(([name, href]) => ({ title: name.replace(/\.(svg|png)$/, ''), href }));
    for (const c of charts) lines.push(`![${c.title}](${c.href})`, '');
    if (a.reports['report.md'] !== undefined) lines.push(`Full report: [report.md](${a.reports['report.md']}).`, '');
    lines.push('## Gates', '', `Overall: **${ev.passed ? 'passed' : 'failed'}**.`, '', ev.gates.length === 0 ? 'No gates recorded.' : gatesToMarkdown(ev.gates), '');
  }
  lines.push(
    '## Lineage',
    '',
    `Adapter → TrainingRun \`${run?.id ?? '?'}\` → Dataset \`${d.dataset?.id ?? a.datasetId}\` → GraphSnapshot \`${d.snapshotId ?? a.snapshotId}\` → ${d.lineage.facts} facts → ${d.lineage.chunks} chunks → ${d.lineage.documents} documents.`,
    '',
    'Ask the registry which documents back an answer (`sourcesForExample`) or which adapters learned from a document (`adaptersForDocument`).',
    '',
  );
  if (d.aliasHistory.length > 0) {
    lines.push('## Alias history', '', '| # | alias | from → to | who | when | why |', '|--:|---|---|---|---|---|');
    for (const e of d.aliasHistory) lines.push(`| ${e.seq} | ${e.alias} | ${e.fromVersion ?? '–'} → ${e.toVersion}${e.kind === 'rollback' ? ' (rollback)' : ''} | ${e.actor} | ${e.at} | ${e.reason.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  lines.push('## Intended use', '', a.intendedUse ?? DEFAULT_USE, '');
  return lines.join('\n');
}
