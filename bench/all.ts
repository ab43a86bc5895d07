/**
 * `npm run bench`: every stage's benchmark (each prints its own table with its peer side by side),
 * then one summary table: each benchmark's wall time and exit, and the wall time per stage of the
 * latest demo pipeline (from Temporal, if the stack is up and `./kgtune demo` has run).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadEnv, projectRoot } from '../configs/env.js';
import { connectTemporal, stageTimings } from '../client/index.js';
import { table } from '../cli/progress.js';

const BENCHES = ['ingest', 'pii', 'graph', 'synth', 'train'];
const rows: (string | number)[][] = [];
for (const b of BENCHES) {
  console.log(`\n######## bench:${b}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(projectRoot(), 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(projectRoot(), 'bench', `${b}.ts`), ...process.argv.slice(2)], { stdio: 'inherit', cwd: projectRoot() });
  rows.push([`bench:${b}`, ((Date.now() - t0) / 1000).toFixed(1), r.status === 0 ? 'ok' : `exit ${r.status}`]);
}

const env = loadEnv();
try {
  const { client, connection } = await connectTemporal(env);
  try {
    const runs = client.workflow.list({ query: `WorkflowType = 'domainAdapterPipeline' AND Tenant = 'demo' AND ExecutionStatus = 'Completed'` });
    let latest: { workflowId: string; startTime: Date } | undefined;
    for await (const w of runs) if (!latest || w.startTime > latest.startTime) latest = { workflowId: w.workflowId, startTime: w.startTime };
    if (latest) {
      for (const t of await stageTimings(client, latest.workflowId)) rows.push([`demo ${t.stage}`, t.seconds === null ? '-' : t.seconds.toFixed(1), latest.workflowId]);
    } else rows.push(['demo', '-', 'no completed demo pipeline: run ./kgtune demo first']);
  } finally {
    await connection.close();
  }
} catch {
  rows.push(['demo', '-', 'Temporal not reachable: ./kgtune services up']);
}
console.log('\n######## summary');
console.log(table(['what', 'seconds', 'result'], rows));
