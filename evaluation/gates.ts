import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EvaluationError } from './errors.js';
import { countNonFinite, readSafetensorsHeader } from './internal/safetensors.js';
import { findGroup } from './report.js';
import type { Baseline, EvalSplit, EvaluationReport, GroupReport, MetricName } from './report.js';

import { GateConfigSchema, type GateConfigInput, type GateResult } from './contract.js';

export { GateConfigSchema, GateResultSchema, type GateConfig, type GateConfigInput, type GateResult } from './contract.js';

function gate(name: string, value: number | null, comparator: GateResult['comparator'], threshold: number, detail?: string): GateResult {
  const ok = value !== null && Number.isFinite(value) && (comparator === '>=' ? value >= threshold - 1e-12 : comparator === '<=' ? value <= threshold + 1e-12 : value === threshold);
  return { name, value, threshold, comparator, verdict: ok ? 'pass' : 'fail', ...(detail === undefined ? {} : { detail }) };
}

function ci(g: GroupReport | undefined, side: 'adapter' | 'lookup' | 'retrieval' | 'base', m: MetricName): string {
  const iv = g?.[side]?.intervals[m];
  return iv === null || iv === undefined ? '' : ` [${iv[0].toFixed(2)}, ${iv[1].toFixed(2)}]`;
}

function gainGate(report: EvaluationReport, name: string, split: EvalSplit, baseline: Baseline, threshold: number): GateResult {
  const g = findGroup(report, { split });
  if (g === undefined) return gate(name, null, '>=', threshold, `no ${split} examples`);
  const other = g[baseline];
  if (other === undefined) return gate(name, null, '>=', threshold, `the ${baseline} baseline did not run`);
  const iv = g.gains[baseline]?.intervals.exactMatch;
  return gate(name, g.gains[baseline]?.values.exactMatch ?? null, '>=', threshold,
    `${baseline} ${fmt(other.values.exactMatch)} → adapter ${fmt(g.adapter.values.exactMatch)} over ${g.n}${iv ? `; gain 95 % CI [${iv[0].toFixed(2)}, ${iv[1].toFixed(2)}]` : ''}`);
}

/** Gates on metrics: each one's value, threshold and verdict. */
export function metricGates(report: EvaluationReport, config: GateConfigInput = {}): GateResult[] {
  const c = GateConfigSchema.parse(config);
  const out: GateResult[] = [];
  out.push(gainGate(report, 'em_gain_paraphrase', 'test_paraphrase', 'base', c.emGainParaphrase));
  out.push(gainGate(report, 'em_gain_over_lookup_paraphrase', 'test_paraphrase', 'lookup', c.minGainOverLookup));
  out.push(gainGate(report, 'em_gain_over_lookup_heldout', 'test_heldout', 'lookup', c.minGainOverLookup));
  const unanswerable = findGroup(report, { type: 'refusal' });
  out.push(gate('refusal_accuracy', unanswerable?.adapter.values.refusalAccuracy ?? null, '>=', c.refusalAccuracy, `${unanswerable?.adapter.counts.refusalAccuracy ?? 0} unanswerable questions${ci(unanswerable, 'adapter', 'refusalAccuracy')}`));
  const answerable = findGroup(report, { type: 'answerable' });
  out.push(gate('over_refusal', answerable?.adapter.values.overRefusal ?? null, '<=', c.maxOverRefusal, `${answerable?.adapter.counts.overRefusal ?? 0} answerable questions${ci(answerable, 'adapter', 'overRefusal')}`));
  const p = report.perplexity;
  out.push(gate('perplexity_increase', p.relativeIncrease, '<=', c.maxPerplexityIncrease, p.relativeIncrease === null ? 'perplexity not measured' : `base ${fmt(p.base)} → adapter ${fmt(p.adapter)}${p.texts === undefined ? '' : ` on ${p.texts} general texts`}${p.disjointFromPretraining === true ? ' disjoint from pretraining and replay' : ''}`));
  if (c.minGainOverRetrieval !== undefined) out.push(gainGate(report, 'em_gain_over_retrieval_paraphrase', 'test_paraphrase', 'retrieval', c.minGainOverRetrieval));
  const all = findGroup(report, {});
  if (c.minFaithfulness !== undefined) {
    out.push(gate('faithfulness', all?.adapter.values.faithfulness ?? null, '>=', c.minFaithfulness, `${all?.adapter.counts.faithfulness ?? 0} examples`));
  }
  if (c.minTrueFalseAccuracy !== undefined) {
    out.push(gate('true_false_accuracy', all?.adapter.values.trueFalseAccuracy ?? null, '>=', c.minTrueFalseAccuracy, `${all?.adapter.counts.trueFalseAccuracy ?? 0} examples`));
  }
  if (c.maxGeneralQaForgotten !== undefined) {
    const q = report.generalQa;
    const right = q === undefined ? 0 : Math.round(q.base * q.n);
    out.push(gate('general_qa_forgotten', q === undefined || right === 0 ? null : q.forgotten / right, '<=', c.maxGeneralQaForgotten, q === undefined ? 'no general questions scored' : `${q.forgotten} of ${right} base-correct general questions lost`));
  }
  return out;
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : v.toFixed(3);
}

const PeftConfig = z.looseObject({
  r: z.number().int().positive().optional(),
  target_modules: z.union([z.array(z.string()), z.string()]).optional(),
});

export const ADAPTER_WEIGHTS = 'adapter_model.safetensors';
export const ADAPTER_CONFIG = 'adapter_config.json';

export interface AdapterSanityOptions {
  /** Decoder layers of the base model (config.json num_hidden_layers). Inferred from tensor names when absent. */
  layers?: number;
  /** LoRA target modules. Default: adapter_config.json target_modules. */
  targets?: readonly string[];
}

/** `…layers.<i>.<group>.<target>.lora_<A|B>.weight` — PEFT's names (any prefix). */
const LORA_NAME = /(?:^|\.)layers\.(\d+)\.(?:[a-z_]+\.)?([a-z_]+)\.lora_([AB])(?:\.[a-z_]+)?\.weight$/;

/**
 * Sanity gates on an adapter folder in PEFT format: files present and non-empty, weights parse
 * (header, bounds, sizes), every weight finite, tensor count = targets × layers × 2 (A and B),
 * and every A/B pair has the configured rank.
 */
export async function adapterSanityGates(adapterDir: string, opts: AdapterSanityOptions = {}): Promise<GateResult[]> {
  const out: GateResult[] = [];
  const required = [ADAPTER_WEIGHTS, ADAPTER_CONFIG];
  const missing: string[] = [];
  for (const f of required) {
    const s = await stat(path.join(adapterDir, f)).catch(() => undefined);
    if (s === undefined || !s.isFile() || s.size === 0) missing.push(f);
  }
  out.push(gate('adapter_files', required.length - missing.length, '==', required.length, missing.length === 0 ? required.join(', ') : `missing or empty: ${missing.join(', ')}`));

  let peft: z.infer<typeof PeftConfig> = {};
  if (!missing.includes(ADAPTER_CONFIG)) {
    try {
      peft = PeftConfig.parse(JSON.parse(await readFile(path.join(adapterDir, ADAPTER_CONFIG), 'utf8')));
    } catch (e) {
      out.push(gate('adapter_config_parses', 0, '==', 1, (e as Error).message.slice(0, 200)));
    }
  }
  if (missing.includes(ADAPTER_WEIGHTS)) {
    out.push(gate('weights_parse', 0, '==', 1, `${ADAPTER_WEIGHTS} missing`));
    return out;
  }
  const buf = new Uint8Array(await readFile(path.join(adapterDir, ADAPTER_WEIGHTS)));
  let header;
  try {
    header = readSafetensorsHeader(buf, ADAPTER_WEIGHTS);
  } catch (e) {
    if (!(e instanceof EvaluationError)) throw e;
    out.push(gate('weights_parse', 0, '==', 1, e.message));
    return out;
  }
  out.push(gate('weights_parse', 1, '==', 1, `${header.tensors.length} tensors`));

  let nonFinite = 0;
  const badNames: string[] = [];
  for (const t of header.tensors) {
    const n = countNonFinite(buf, header, t);
    if (n > 0) {
      nonFinite += n;
      badNames.push(t.name);
    }
  }
  out.push(gate('weights_finite', nonFinite, '==', 0, nonFinite === 0 ? 'all finite' : `${nonFinite} NaN/Inf in ${badNames.slice(0, 3).join(', ')}${badNames.length > 3 ? ' …' : ''}`));

  const targets = opts.targets ?? (typeof peft.target_modules === 'string' ? [peft.target_modules] : peft.target_modules);
  const lora = header.tensors.map((t) => ({ t, m: LORA_NAME.exec(t.name) })).filter((x) => x.m !== null);
  const layerIdx = lora.map((x) => Number(x.m![1]));
  const inferred = layerIdx.length === 0 ? 0 : Math.max(...layerIdx) + 1;
  const layers = opts.layers ?? inferred;
  if (targets === undefined || targets.length === 0) {
    out.push(gate('tensor_count', null, '==', 0, 'no target modules (adapter_config.json target_modules or options.targets)'));
  } else {
    const expected = targets.length * layers * 2;
    out.push(gate('tensor_count', header.tensors.length, '==', expected, `${targets.length} targets × ${layers} layers${opts.layers === undefined ? ' (inferred from names)' : ''} × 2 (lora_A, lora_B)`));
  }
  if (peft.r !== undefined) {
    const r = peft.r;
    // PEFT layout: lora_A.weight [r, in], lora_B.weight [out, r].
    const wrong = lora.filter(({ t, m }) => t.shape.length !== 2 || (m![3] === 'A' ? t.shape[0] !== r : t.shape[1] !== r));
    out.push(gate('lora_rank', wrong.length, '==', 0, wrong.length === 0 ? `r = ${r} on ${lora.length} tensors` : `rank ≠ ${r}: ${wrong.slice(0, 3).map((w) => w.t.name).join(', ')}`));
  }
  return out;
}

export function gatesPassed(gates: readonly GateResult[]): boolean {
  return gates.length > 0 && gates.every((g) => g.verdict === 'pass');
}

/** Metric gates plus adapter sanity gates, and the overall verdict. */
export async function runGates(input: {
  report: EvaluationReport;
  config?: GateConfigInput;
  adapterDir?: string;
  adapter?: AdapterSanityOptions;
}): Promise<{ gates: GateResult[]; passed: boolean }> {
  const gates = metricGates(input.report, input.config);
  if (input.adapterDir !== undefined) gates.push(...(await adapterSanityGates(input.adapterDir, input.adapter)));
  return { gates, passed: gatesPassed(gates) };
}
