import os from 'node:os';
import readline from 'node:readline';
import type { Client } from '@temporalio/client';
import type { KgtuneEnv } from '../../configs/env.js';
import { ADAPTER_TENANTS } from '../../graph/index.js';
import { EXPORT_FORMATS, adaptersForDocument, artifactStoreFromEnv, exportAdapter, listAdapters, openChat, renderModelCard, resolveDocuments, rollback, showAdapter, sourcesForExample } from '../../registry/index.js';
import type { AdapterSummary } from '../../registry/index.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import type { PromoteStatus } from '../../workflows/promote.js';
import { connectNeo4j, sendReview, waitForPromotion, withTemporal } from '../../client/index.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';
import { table } from '../progress.js';
import { uiLink } from './run.js';

const SUB = 'list|show|promote|approve|reject|rollback|lineage|export|chat';

function need(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}
function version(v: unknown): number {
  const n = Number(need(v, 'version'));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--version must be a positive integer (got '${String(v)}')`);
  return n;
}

/** Before starting a promotion: the version must exist; a version already holding the alias needs nothing. */
export function promotionPrecheck(rows: readonly Pick<AdapterSummary, 'version' | 'aliases'>[], ref: { tenant: string; domain: string; version: number; to: 'staging' | 'production' }): 'start' | 'already' {
  const row = rows.find((r) => r.version === ref.version);
  if (!row) {
    const known = rows.map((r) => r.version).sort((a, b) => a - b);
    throw new UsageError(`no adapter ${ref.tenant}/${ref.domain} v${ref.version} (${known.length ? `versions: ${known.join(', ')}` : 'no versions registered in this domain'})`);
  }
  return row.aliases.includes(ref.to) ? 'already' : 'start';
}

/** One id per (tenant, domain, version, target): a second `promote` while one runs attaches to it. */
export function promotionWorkflowId(tenant: string, domain: string, version: number, to: string): string {
  return `promote-${tenant}-${domain}-v${version}-${to}`;
}

/**
 * Starts (or attaches to) the promotion and waits until it is past the gate check, so the CLI
 * reports what happened: blocked by gates, staged, or waiting for approval.
 */
export async function startPromotion(client: Client, req: { tenant: string; domain: string; version: number; to: 'staging' | 'production'; timeout: string }, waitMs = 30_000): Promise<{ workflowId: string; attached: boolean; status: PromoteStatus | undefined }> {
  const workflowId = promotionWorkflowId(req.tenant, req.domain, req.version, req.to);
  let attached = false;
  try {
    await client.workflow.start('promoteAdapter', {
      taskQueue: TASK_QUEUES.cpu, workflowId,
      args: [{ tenant: req.tenant, domain: req.domain, version: req.version, target: req.to, approvalTimeout: req.timeout }],
    });
  } catch (e) {
    if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
    attached = true;
  }
  const status = await waitForPromotion(client, workflowId, (s) => s.state !== 'checking-gates' && s.state !== 'staging', waitMs);
  return { workflowId, attached, status };
}

async function tenantsWithAdapters(env: KgtuneEnv): Promise<string> {
  try {
    const driver = await connectNeo4j(env);
    try {
      const res = await driver.executeQuery(ADAPTER_TENANTS, {}, { routing: 'READ' });
      const tenants = res.records.map((r) => r.get('tenant') as string);
      return tenants.length ? `tenants with adapters: ${tenants.join(', ')}` : 'no adapters are registered yet';
    } finally { await driver.close(); }
  } catch {
    return 'the registry is not reachable to list them';
  }
}

const EXPORT_USAGE = `usage: kgtune adapters export <tenant> <domain> <version|alias> --format ${EXPORT_FORMATS.join('|')} --out DIR [--dtype f16|f32]`;
const CHAT_USAGE = 'usage: kgtune adapters chat <tenant> <domain> <version|alias> [--prompt TEXT] [--system TEXT] [--max-tokens N]';

/** `<tenant> <domain> <version|alias>` as positionals (or --tenant/--domain/--version/--alias). */
export function selector(positionals: string[], values: Record<string, unknown>, usage: string): { tenant: string; domain: string; ref: string } {
  const [tenant, domain, ref] = [positionals[0] ?? values.tenant, positionals[1] ?? values.domain, positionals[2] ?? values.version ?? values.alias];
  if (typeof tenant !== 'string' || typeof domain !== 'string' || typeof ref !== 'string' || positionals.length > 3) throw new UsageError(usage);
  return { tenant, domain, ref };
}

/** Read a line, answer it, until an empty line or end of input; the conversation is kept between turns. */
async function chatLoop(history: { role: 'system' | 'user' | 'assistant'; content: string }[], answer: (h: typeof history) => string): Promise<void> {
  // the line iterator buffers: lines piped in at once are all read, none dropped between turns
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  try {
    process.stdout.write('you> ');
    for await (const line of rl) {
      if (!line.trim()) break;
      history.push({ role: 'user', content: line });
      const reply = answer(history);
      history.push({ role: 'assistant', content: reply });
      process.stdout.write(`model> ${reply}\nyou> `);
    }
    process.stdout.write('\n');
  } finally {
    rl.close();
  }
}

/** `kgtune adapters …`: the registry for MLOps (list, show, promote with approval, rollback, lineage). */
export async function adaptersCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    tenant: { type: 'string' }, domain: { type: 'string' }, version: { type: 'string' }, to: { type: 'string' },
    timeout: { type: 'string' }, reviewer: { type: 'string' }, comment: { type: 'string' }, alias: { type: 'string' },
    reason: { type: 'string' }, actor: { type: 'string' }, document: { type: 'string' }, facts: { type: 'string' }, chunks: { type: 'string' },
    format: { type: 'string' }, out: { type: 'string' }, dtype: { type: 'string' }, prompt: { type: 'string' }, 'max-tokens': { type: 'string' }, system: { type: 'string' },
  });
  const actor = (values.actor as string | undefined) ?? os.userInfo().username;
  switch (sub) {
    case 'list': {
      if (typeof values.tenant !== 'string' || !values.tenant) throw new UsageError(`--tenant is required: pass the tenant whose adapters to list (${await tenantsWithAdapters(env)}; all tenants: kgtune tenants list)`);
      const driver = await connectNeo4j(env);
      try {
        const rows = await listAdapters(driver, { tenant: values.tenant, ...(values.domain ? { domain: values.domain as string } : {}) });
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
      const driver = await connectNeo4j(env);
      try {
        if (promotionPrecheck(await listAdapters(driver, { tenant, domain }), { tenant, domain, version: v, to }) === 'already') {
          console.log(`${tenant}/${domain} v${v} is already in ${to}; nothing to do`);
          return 0;
        }
      } finally { await driver.close(); }
      return withTemporal(env, async (client) => {
        const r = await startPromotion(client, { tenant, domain, version: v, to, timeout: (values.timeout as string | undefined) ?? '24h' });
        const link = `\n  Web UI: ${uiLink(env, r.workflowId)}`;
        const verb = r.attached ? 'already running' : 'started';
        if (!r.status) {
          console.log(`promotion ${r.workflowId} ${verb}; no worker answered within 30 s — start one with \`kgtune worker\`${link}`);
          return 0;
        }
        switch (r.status.state) {
          case 'blocked-by-gates':
            throw new UsageError(`v${v} not promoted: blocked by gates (${r.status.reasons.join('; ')})`);
          case 'awaiting-approval':
            console.log(`promotion ${r.workflowId} ${verb}: v${v} is in staging and waits for: kgtune adapters approve ${r.workflowId} --reviewer <name>${link}`);
            return 0;
          case 'production':
          case 'approved':
            console.log(`promotion ${r.workflowId}: v${v} is in ${r.status.state === 'approved' ? 'production (approved)' : 'production'}${link}`);
            return 0;
          case 'rejected':
          case 'timed-out':
            throw new UsageError(`promotion ${r.workflowId} ended ${r.status.state}${r.status.review ? ` by ${r.status.review.reviewer}` : ''}`);
          default:
            console.log(`promotion ${r.workflowId} ${verb}: v${v} → ${r.status.state}${link}`);
            return 0;
        }
      });
    }
    case 'approve':
    case 'reject': {
      const id = positionals[0];
      if (!id) throw new UsageError(`usage: kgtune adapters ${sub} <promotion-workflow-id> --reviewer NAME [--comment TEXT]`);
      return withTemporal(env, async (client) => {
        const review = { reviewer: (values.reviewer as string | undefined) ?? actor, ...(values.comment ? { comment: values.comment as string } : {}) };
        const state = await sendReview(client, id, sub, review);
        console.log(`${sub === 'approve' ? 'approved' : 'rejected'} by ${review.reviewer}: ${id} (state: ${state.state})`);
        return 0;
      });
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
          const ref = values.document as string;
          const docs = await resolveDocuments(driver, tenant, ref);
          if (!docs.length) throw new UsageError(`no document '${ref}' in tenant ${tenant}: pass its sha256, the name it was uploaded under, or a path to the file`);
          for (const doc of docs) {
            const rows = await adaptersForDocument(driver, tenant, doc.sha256);
            console.log(`${doc.name} (${doc.sha256.slice(0, 12)}):`);
            if (!rows.length) console.log('  no adapter learned from this document');
            else console.log(table(['domain', 'version', 'aliases', 'facts', 'pages', 'run', 'dataset', 'snapshot'], rows.map((r) => [r.domain, r.version, r.aliases.join(',') || '-', r.facts, r.pages.join(',') || '-', r.runId, r.datasetId, r.snapshotId])));
          }
          return 0;
        }
        if (values.facts || values.chunks) {
          const split = (s: unknown) => (typeof s === 'string' && s ? s.split(',') : []);
          const rows = await sourcesForExample(driver, tenant, { factIds: split(values.facts), chunkIds: split(values.chunks) });
          console.log(JSON.stringify(rows, null, 1));
          return 0;
        }
        throw new UsageError('usage: kgtune adapters lineage --tenant T (--document SHA256|NAME|PATH | --facts id,id | --chunks id,id)');
      } finally { await driver.close(); }
    }
    case 'export': {
      const sel = selector(positionals, values, EXPORT_USAGE);
      const format = values.format as string | undefined;
      if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} — ${EXPORT_USAGE}`);
      const dtype = (values.dtype as string | undefined) ?? 'f16';
      if (dtype !== 'f16' && dtype !== 'f32') throw new UsageError('--dtype must be f16 or f32 (GGUF only)');
      const driver = await connectNeo4j(env);
      try {
        const { outDir, record } = await exportAdapter({ driver, store: artifactStoreFromEnv(env), home: env.home }, { ...sel, format: format as (typeof EXPORT_FORMATS)[number], outDir: need(values.out, 'out'), dtype, backend: env.KGTUNE_TRAIN_BACKEND });
        console.log(`exported ${sel.tenant}/${sel.domain} v${record.version} (adapter ${record.adapterSha256.slice(0, 12)}, base ${record.baseModelId}) as ${format}${record.dtype ? ` ${record.dtype}` : ''} → ${outDir}: ${record.files.join(', ')}`);
        return 0;
      } finally { await driver.close(); }
    }
    case 'chat': {
      const sel = selector(positionals, values, CHAT_USAGE);
      const maxTokens = values['max-tokens'] === undefined ? 128 : Number(values['max-tokens']);
      if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new UsageError(`--max-tokens must be a positive integer (got '${String(values['max-tokens'])}')`);
      const driver = await connectNeo4j(env);
      let session: Awaited<ReturnType<typeof openChat>>;
      try {
        session = await openChat({ driver, store: artifactStoreFromEnv(env), home: env.home }, sel, { backend: env.KGTUNE_TRAIN_BACKEND });
      } finally { await driver.close(); }
      try {
        const history: { role: 'system' | 'user' | 'assistant'; content: string }[] = values.system ? [{ role: 'system', content: values.system as string }] : [];
        if (typeof values.prompt === 'string') {
          console.log(session.reply([...history, { role: 'user', content: values.prompt }], { maxNewTokens: maxTokens }));
          return 0;
        }
        const a = session.detail.adapter;
        console.log(`chatting with ${sel.tenant}/${sel.domain} v${a.version}${a.aliases.length ? ` (${a.aliases.join(', ')})` : ''} on base ${a.baseModelId}; an empty line or Ctrl-D ends`);
        await chatLoop(history, (h) => session.reply(h, { maxNewTokens: maxTokens }));
        return 0;
      } finally { await session.close(); }
    }
    default:
      throw new UsageError(`usage: kgtune adapters ${SUB} …`);
  }
}
