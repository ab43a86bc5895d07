/**
 * Shared by the registry view's integration and browser tests: registers real adapter versions with
 * the registry's own `registerAdapter` (artifacts into a local content-addressed store, lineage into
 * Neo4j), and a small graph behind them (documents → chunks → facts in the adapter's snapshot).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { registerAdapter, type ArtifactStore } from '../../../registry/index.js';

export interface SeededVersion { version: number; weights: Buffer; reportMd: string; snapshotId: string; datasetId: string; runId: string }

/** Summary metrics as the customer page and registry view read them (`{metric: {base, adapter}}`). */
export function metricsOf(em: number, f1: number, ppl: number): Record<string, unknown> {
  return { summary: { exactMatch: { base: 0.1, adapter: em }, tokenF1: { base: 0.3, adapter: f1 }, perplexity: { base: 40, adapter: ppl } } };
}

export async function seedVersion(driver: Driver, store: ArtifactStore, o: {
  tenant: string; domain: string; corpus: string; em: number; f1: number; ppl: number; passed: boolean; intendedUse?: string; documents?: string[];
}): Promise<SeededVersion> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgtune-seed-adapter-'));
  const weights = randomBytes(256);
  writeFileSync(path.join(dir, 'adapter_model.safetensors'), weights);
  writeFileSync(path.join(dir, 'adapter_config.json'), JSON.stringify({ r: 4, lora_alpha: 8, peft_type: 'LORA' }));
  const reports = mkdtempSync(path.join(tmpdir(), 'kgtune-seed-report-'));
  const reportMd = `# Evaluation report\n\nexact match ${o.em}\n`;
  writeFileSync(path.join(reports, 'report.md'), reportMd);
  writeFileSync(path.join(reports, 'metrics.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" height="10" fill="#2456d6"/></svg>');
  const tag = weights.toString('hex').slice(0, 12);
  const snapshotId = `snap-${o.tenant}-${tag}`;
  const datasetId = `ds-${o.tenant}-${tag}`;
  const runId = `run-${o.tenant}-${tag}`;
  const gates = [
    { name: 'em_gain_paraphrase', value: o.em - 0.1, threshold: 0.3, comparator: '>=' as const, verdict: o.em - 0.1 >= 0.3 ? 'pass' as const : 'fail' as const },
    { name: 'perplexity_increase', value: o.ppl / 40 - 1, threshold: 0.05, comparator: '<=' as const, verdict: o.ppl / 40 - 1 <= 0.05 ? 'pass' as const : 'fail' as const },
  ];
  const s = driver.session();
  try {
    await s.run(`MERGE (snap:GraphSnapshot {tenant: $t, id: $snap}) SET snap.corpus = $corpus, snap.createdAt = datetime()
      WITH snap UNWIND range(0, size($docs) - 1) AS i
      MERGE (d:Document {tenant: $t, sha256: $shas[i]}) SET d.name = $docs[i], d.status = 'ingested'
      MERGE (c:Chunk {tenant: $t, id: $shas[i] + '-c0'}) SET c.page = 1, c.text = 'Spindle bearings are greased every 500 hours.'
      MERGE (d)-[:HAS_CHUNK]->(c)
      WITH snap, c, i UNWIND range(0, i) AS j
      MERGE (f:Fact {tenant: $t, id: c.id + '-f' + toString(j)}) SET f.subject = 'spindle', f.predicate = 'greased_every', f.object = '500 hours'
      MERGE (f)-[:EVIDENCE {sentenceStart: 0, sentenceEnd: 45}]->(c)
      MERGE (snap)-[:CONTAINS]->(f)`, {
      t: o.tenant, snap: snapshotId, corpus: o.corpus,
      docs: o.documents ?? ['maintenance-manual.pdf'],
      shas: (o.documents ?? ['maintenance-manual.pdf']).map((n) => createHash('sha256').update(`${o.tenant}/${n}`).digest('hex')),
    });
  } finally {
    await s.close();
  }
  const r = await registerAdapter(driver, store, {
    tenant: o.tenant, domain: o.domain, adapterDir: dir,
    baseModelId: 'tiny', baseModelSha256: 'a'.repeat(64),
    datasetId, datasetDigest: `digest-${tag}`, snapshotId,
    trainingRun: { id: runId, config: { steps: 12 }, backend: 'wasm', losses: [{ step: 1, train: 2.5 }] },
    evaluation: { metrics: metricsOf(o.em, o.f1, o.ppl), gates, passed: o.passed, reportDir: reports },
    ...(o.intendedUse ? { intendedUse: o.intendedUse } : {}),
  });
  return { version: r.version, weights, reportMd, snapshotId, datasetId, runId };
}
