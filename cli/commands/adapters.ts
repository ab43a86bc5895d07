import os from 'node:os';
import type { KgtuneEnv } from '../../configs/env.js';
import { adaptersForDocument, listAdapters, renderModelCard, rollback, showAdapter, sourcesForExample } from '../../registry/index.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { connectNeo4j, connectTemporal } from '../connect.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';
import { table } from '../progress.js';
import { uiLink } from './run.js';

const SUB = 'list|show|promote|approve|reject|rollback|lineage';

function need(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}
function version(v: unknown): number {
  const n = Number(need(v, 'version'));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--version must be a positive integer (got '${String(v)}')`);
  return n;
}

/** `kgtune adapters …`: the registry for MLOps (list, show, promote with approval, rollback, lineage). */
export async function adaptersCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    tenant: { type: 'string' }, domain: { type: 'string' }, version: { type: 'string' }, to: { type: 'string' },
    timeout: { type: 'string' }, reviewer: { type: 'string' }, comment: { type: 'string' }, alias: { type: 'string' },
    reason: { type: 'string' }, actor: { type: 'string' }, document: { type: 'string' }, facts: { type: 'string' }, chunks: { type: 'string' },
  });
  const actor = (values.actor as string | undefined) ?? os.userInfo().username;
  switch (sub) {
    case 'list': {
      const driver = await connectNeo4j(env);
      try {
        const rows = await listAdapters(driver, { tenant: need(values.tenant, 'tenant'), ...(values.domain ? { domain: values.domain as string } : {}) });
        if (!rows.length) console.log('no adapters registered for this tenant');
        else console.log(table(['domain', 'version', 'aliases', 'gates', 'sha256', 'base', 'created'], rows.map((r) => [r.domain, r.version, r.aliases.join(',') || '-', r.passed === null ? '?' : r.passed ? 'pass' : 'fail', r.sha256.slice(0, 12), r.baseModelId, r.createdAt])));
        return 0;
      } finally { await driver.close(); }
    }
    case 'show': {
      const driver = await connectNeo4j(env);
      try {
        const d = await showAdapter(driver, { tenant: need(values.tenant, 'tenant'), domain: need(values.domain, 'domain'), version: version(values.version) });
        console.log(renderModelCard(d));
        return 0;
      } finally { await driver.close(); }
    }
    case 'promote': {
      const tenant = need(values.tenant, 'tenant');
      const domain = need(values.domain, 'domain');
      const v = version(values.version);
      const to = need(values.to, 'to');
      if (to !== 'staging' && to !== 'production') throw new UsageError('--to must be staging or production');
      const { client, connection } = await connectTemporal(env);
      try {
        const workflowId = `promote-${tenant}-${domain}-v${v}-${to}-${Date.now()}`;
        await client.workflow.start('promoteAdapter', { taskQueue: TASK_QUEUES.cpu, workflowId, args: [{ tenant, domain, version: v, target: to, approvalTimeout: (values.timeout as string | undefined) ?? '24h' }] });
        console.log(`promotion ${workflowId} started${to === 'production' ? `; it waits for: kgtune adapters approve ${workflowId} --reviewer <name>` : ''}\n  Web UI: ${uiLink(env, workflowId)}`);
        return 0;
      } finally { await connection.close(); }
    }
    case 'approve':
    case 'reject': {
      const id = positionals[0];
      if (!id) throw new UsageError(`usage: kgtune adapters ${sub} <promotion-workflow-id> --reviewer NAME [--comment TEXT]`);
      const { client, connection } = await connectTemporal(env);
      try {
        const review = { reviewer: (values.reviewer as string | undefined) ?? actor, comment: (values.comment as string | undefined) ?? '' };
        await client.workflow.getHandle(id).signal(sub, review);
        const state = await client.workflow.getHandle(id).query<{ state: string }>('state').catch(() => undefined);
        console.log(`${sub === 'approve' ? 'approval' : 'rejection'} sent to ${id}${state ? ` (state: ${state.state})` : ''}`);
        return 0;
      } finally { await connection.close(); }
    }
    case 'rollback': {
      const driver = await connectNeo4j(env);
      try {
        const alias = (values.alias as string | undefined) ?? 'production';
        if (!['candidate', 'staging', 'production'].includes(alias)) throw new UsageError('--alias must be candidate, staging or production');
        const r = await rollback(driver, { tenant: need(values.tenant, 'tenant'), domain: need(values.domain, 'domain'), alias: alias as 'production', actor, reason: (values.reason as string | undefined) ?? 'rollback from CLI' });
        console.log(`${alias}: v${r.previous ?? '-'} → v${r.version}`);
        return 0;
      } finally { await driver.close(); }
    }
    case 'lineage': {
      const driver = await connectNeo4j(env);
      try {
        const tenant = need(values.tenant, 'tenant');
        if (values.document) {
          const rows = await adaptersForDocument(driver, tenant, values.document as string);
          if (!rows.length) console.log('no adapter learned from this document');
          else console.log(table(['domain', 'version', 'aliases', 'run', 'dataset', 'snapshot'], rows.map((r) => [r.domain, r.version, r.aliases.join(',') || '-', r.runId, r.datasetId, r.snapshotId])));
          return 0;
        }
        if (values.facts || values.chunks) {
          const split = (s: unknown) => (typeof s === 'string' && s ? s.split(',') : []);
          const rows = await sourcesForExample(driver, tenant, { factIds: split(values.facts), chunkIds: split(values.chunks) });
          console.log(JSON.stringify(rows, null, 1));
          return 0;
        }
        throw new UsageError('usage: kgtune adapters lineage --tenant T (--document SHA256 | --facts id,id | --chunks id,id)');
      } finally { await driver.close(); }
    }
    default:
      throw new UsageError(`usage: kgtune adapters ${SUB} …`);
  }
}
