import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { hasPollers } from '../local-worker.js';
import type { KgtuneEnv } from '../../configs/env.js';
import { parsePipelineInput, type PipelineInput, type PipelineInputRaw } from '../../configs/pipeline-input.js';
import type { PipelineResult } from '../../workflows/pipeline.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { followPipeline, queryPipelineProgress, stageTimings, startPipeline, trainingDetail, withTemporal } from '../../client/index.js';
import { UsageError } from '../errors.js';
import { EXTRACTION_FLAGS, extractionFromFlags } from '../extraction-flags.js';
import { parse } from '../main.js';
import { INDUSTRY_PACKS } from '../../configs/industry-names.js';
import { ProgressView, table } from '../progress.js';
import { checkSource, sourcePolicy } from '../../configs/source-roots.js';

export function uiLink(env: KgtuneEnv, workflowId?: string): string {
  const base = `http://${env.TEMPORAL_HOST}:${env.TEMPORAL_UI_PORT}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows`;
  return workflowId ? `${base}/${encodeURIComponent(workflowId)}` : base;
}

export function buildInput(args: string[]): PipelineInput {
  const { values, positionals } = parse(args, {
    tenant: { type: 'string' }, domain: { type: 'string' }, corpus: { type: 'string' }, industry: { type: 'string' },
    promote: { type: 'string' }, steps: { type: 'string' }, 'target-size': { type: 'string' }, seed: { type: 'string' },
    'pii-kinds': { type: 'string' }, 'pii-action': { type: 'string' }, 'pii-allow': { type: 'string' },
    base: { type: 'string' }, detach: { type: 'boolean' },
    ...EXTRACTION_FLAGS,
  });
  const folder = positionals[0];
  if (!folder) throw new UsageError('usage: kgtune run <folder> --tenant T --domain D');
  const source = path.resolve(folder);
  if (!existsSync(source) || !statSync(source).isDirectory()) throw new UsageError(`corpus folder not found: ${source}`);
  const raw: PipelineInputRaw = {
    tenant: values.tenant as string, domain: values.domain as string,
    corpus: (values.corpus as string | undefined) ?? path.basename(source).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '').slice(0, 63),
    source,
  };
  if (values.industry) raw.industry = values.industry as PipelineInput['industry']; // checked by parsePipelineInput below
  if (values.base) raw.base = baseArg(values.base as string);
  if (values.promote) raw.promote = values.promote as PipelineInput['promote'];
  if (values.seed) raw.seed = Number(values.seed);
  if (values.steps) raw.training = { steps: Number(values.steps) };
  if (values['target-size']) raw.synthesis = { targetSize: Number(values['target-size']) };
  const list = (v: unknown): string[] => String(v).split(',').map((x) => x.trim()).filter(Boolean);
  if (values['pii-kinds'] || values['pii-action'] || values['pii-allow']) {
    raw.pii = {
      ...(values['pii-kinds'] ? { kinds: list(values['pii-kinds']) as NonNullable<PipelineInputRaw['pii']>['kinds'] } : {}),
      ...(values['pii-action'] ? { action: values['pii-action'] as NonNullable<PipelineInput['pii']>['action'] } : {}),
      ...(values['pii-allow'] ? { allow: list(values['pii-allow']) } : {}),
    };
  }
  const extraction = extractionFromFlags(values);
  if (extraction) raw.extraction = extraction;
  try {
    return parsePipelineInput(raw);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--base`: a catalogue id as given, a folder path made absolute (workers read it, whatever their cwd). */
export function baseArg(v: string): string {
  return v.startsWith('.') || v.includes('/') || v.includes(path.sep) ? path.resolve(v) : v;
}

/** The run's choices, printed before it starts: the industry pack decides what the graph can hold. */
export function describeInput(input: PipelineInput): string {
  return `tenant ${input.tenant}, domain ${input.domain}, corpus ${input.corpus}, industry pack ${input.industry} (configs/industries/${input.industry}.yaml; --industry ${INDUSTRY_PACKS.join('|')}), base ${input.base}`;
}

/** Follows a pipeline until it closes, drawing its progress; returns its result (throws its failure). */
export async function followPipelineView(client: Client, workflowId: string): Promise<PipelineResult> {
  const view = new ProgressView();
  const follow = followPipeline(client, workflowId);
  for (;;) {
    const next = await follow.next();
    if (next.done) return next.value;
    view.render(next.value.stages);
  }
}

export function printTimings(t: { stage: string; seconds: number | null }[]): void {
  console.log('\nWall time per stage:');
  console.log(table(['stage', 'seconds'], t.map((x) => [x.stage, x.seconds === null ? '-' : x.seconds.toFixed(1)])));
}

export function printResult(r: PipelineResult): void {
  console.log('\nEvaluation (test sets): base, lookup, base + retrieval, adapter [95 % interval]:');
  const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));
  const rows = Object.entries(r.evaluation.summary).map(([k, v]) => [k, v.n === undefined ? '-' : String(v.n), f(v.base), f(v.lookup), f(v.retrieval), `${f(v.adapter)}${v.adapterCi ? ` [${v.adapterCi[0].toFixed(2)}, ${v.adapterCi[1].toFixed(2)}]` : ''}`]);
  console.log(table(['metric', 'n', 'base', 'lookup', 'retrieval', 'adapter'], rows));
  console.log('\nGates:');
  console.log(table(['gate', 'value', 'threshold', 'verdict'], r.evaluation.gates.map((g) => [g.name, g.value.toFixed(3), String(g.threshold), g.passed ? 'pass' : 'FAIL'])));
  console.log(`\nRegistered adapter: ${r.registry.adapterId} version ${r.registry.version} (sha256 ${r.registry.sha256.slice(0, 16)}…)`);
  if (r.promotion) console.log(`Promotion: ${r.promotion.state}${r.promotion.reasons.length ? ` (${r.promotion.reasons.join('; ')})` : ''}`);
  console.log(`Report: ${r.evaluation.reportDir}`);
}

export async function runCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const input = buildInput(args);
  const refused = await checkSource(input.tenant, input.source, sourcePolicy(env));
  if (refused) throw new UsageError(refused);
  const detach = args.includes('--detach');
  console.log(describeInput(input));
  return withTemporal(env, async (client) => {
    const { workflowId, attached } = await startPipeline(client, input);
    console.log(`${attached ? 'attached to existing' : 'started'} pipeline ${workflowId}\n  Web UI: ${uiLink(env, workflowId)}`);
    if (detach) return 0;
    for (const q of Object.values(TASK_QUEUES)) {
      if (!(await hasPollers(client, q, 2))) console.log(`note: no worker polls ${q} yet — start one with \`kgtune worker --queue ${q === TASK_QUEUES.cpu ? 'cpu' : 'gpu'}\` (or \`kgtune worker\` for both)`);
    }
    const r = await followPipelineView(client, workflowId);
    printResult(r);
    printTimings(await stageTimings(client, workflowId));
    return 0;
  });
}

export async function statusCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const id = args[0];
  if (!id) throw new UsageError('usage: kgtune status <workflow-id>');
  return withTemporal(env, async (client) => {
    const handle = client.workflow.getHandle(id);
    const d = await handle.describe();
    console.log(`${id}: ${d.status.name}  (started ${d.startTime.toISOString()}${d.closeTime ? `, closed ${d.closeTime.toISOString()}` : ''})`);
    try {
      const p = await queryPipelineProgress(client, id);
      console.log(table(['stage', 'status', 'summary'], p.stages.map((s) => [s.name, s.status, s.name === 'train' && s.status === 'running' && p.training ? trainingDetail(p.training) : s.summary ?? ''])));
      if (p.outcome) console.log(`outcome: ${p.outcome}${p.failure ? ` in ${p.failure.stage}: ${p.failure.reason}` : ''}`);
    } catch {
      console.log('(progress not available: no worker is running)');
    }
    console.log(`Web UI: ${uiLink(env, id)}`);
    return 0;
  });
}

export async function cancelCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const id = args[0];
  if (!id) throw new UsageError('usage: kgtune cancel <workflow-id>');
  return withTemporal(env, async (client) => {
    await client.workflow.getHandle(id).cancel();
    console.log(`cancellation requested for ${id}`);
    return 0;
  });
}
