/**
 * `kgtune adapters export` and `kgtune adapters chat` end to end: an adapter registered in the real
 * Neo4j (artifact store of the test home), its base in the test home's catalogue, the CLI run as a
 * user runs it, by version and by alias.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, projectRoot } from '../../configs/env.js';
import { REGISTRY_LABELS } from '../../graph/queries/registry.js';
import { artifactStoreFromEnv, registerAdapter, setAlias } from '../../registry/index.js';
import { chatReply } from '../../registry/export-chat.js';
import { importFiles, setId } from '../../training/bases/catalogue.js';
import { compareGreedy } from '../../training/export/index.js';
import { loadForGeneration } from '../../training/index.js';
import { tinyBaseAndAdapter } from '../unit/training/export-helpers.js';
import { useWasm } from '../unit/training/helpers.js';

const env = loadEnv();
const tenant = `t-export-${randomBytes(4).toString('hex')}`;
let driver: Driver;
let work = '';
let base = { baseDir: '', adapterDir: '' };
let baseSha = '';

function kgtune(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(projectRoot(), 'kgtune'), ...args], { cwd: projectRoot(), env: { ...process.env, KGTUNE_TRAIN_BACKEND: 'wasm' } });
    p.stdin.end(stdin ?? '');
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  await useWasm();
  driver = neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), { disableLosslessIntegers: true });
  await driver.verifyConnectivity();
  work = await mkdtemp(path.join(tmpdir(), 'kgtune-export-it-'));
  base = await tinyBaseAndAdapter(work);
  baseSha = await importFiles(env.home, base.baseDir, await readdir(base.baseDir));
  await setId(env.home, `export-it@${baseSha.slice(0, 12)}`, baseSha, `folder:${base.baseDir}`);
  const store = artifactStoreFromEnv(env);
  const r = await registerAdapter(driver, store, {
    tenant, domain: 'mfg', adapterDir: base.adapterDir, baseModelId: `export-it@${baseSha.slice(0, 12)}`, baseModelSha256: baseSha,
    datasetId: `ds-${tenant}`, datasetDigest: 'sha256:d', snapshotId: `snap-${tenant}`,
    trainingRun: { id: `run-${tenant}`, config: {}, backend: 'wasm', losses: [] },
    evaluation: { metrics: {}, gates: [], passed: true },
  });
  await setAlias(driver, { tenant, domain: 'mfg', alias: 'production', version: r.version, actor: 'test' });
});

afterAll(async () => {
  if (driver !== undefined) {
    const session = driver.session();
    try {
      for (const label of REGISTRY_LABELS) await session.executeWrite((tx) => tx.run(`MATCH (n:${label}) WHERE n.tenant = $tenant DETACH DELETE n`, { tenant }));
    } finally {
      await session.close();
    }
    await driver.close();
  }
  if (baseSha) await rm(path.join(env.home, 'models', 'bases', 'ids', `export-it@${baseSha.slice(0, 12)}.json`), { force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

describe('kgtune adapters export / chat', () => {
  it('exports the production version as a merged GGUF that llama.cpp runs like the adapter on its base', async () => {
    const out = path.join(work, 'gguf');
    const r = await kgtune(['adapters', 'export', tenant, 'mfg', 'production', '--format', 'gguf', '--dtype', 'f32', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`exported ${tenant}/mfg v1 .* as gguf f32 → .*${tenant}-mfg-v1-f32\\.gguf`));
    const record = JSON.parse(await readFile(path.join(out, 'kgtune-export.json'), 'utf8')) as { files: string[]; baseModelSha256: string };
    expect(record.baseModelSha256).toBe(baseSha);
    const cmp = await compareGreedy({ ...base, ggufFile: path.join(out, record.files[0]!), prompts: ['Hello world, the'], maxNewTokens: 12 });
    expect(cmp.identical).toBe(true);
  });

  it('exports by version number as PEFT and merged HF', async () => {
    for (const format of ['peft', 'merged-hf']) {
      const r = await kgtune(['adapters', 'export', tenant, 'mfg', '1', '--format', format, '--out', path.join(work, format)]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await readdir(path.join(work, 'peft'))).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'kgtune-export.json']);
    expect((await readdir(path.join(work, 'merged-hf'))).sort()).toEqual(['config.json', 'kgtune-export.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
  });

  it('chat --prompt answers once with the adapter through the base\'s chat template', async () => {
    const r = await kgtune(['adapters', 'chat', tenant, 'mfg', 'production', '--prompt', 'Who makes the X200 drill?', '--max-tokens', '8']);
    expect(r.code, r.stderr).toBe(0);
    const gm = await loadForGeneration({ ...base, backend: 'wasm' });
    try {
      expect(r.stdout.trim()).toBe(chatReply(gm, [{ role: 'user', content: 'Who makes the X200 drill?' }], { maxNewTokens: 8 }));
    } finally {
      gm.dispose();
    }
  });

  it('chat without --prompt reads turns from stdin until an empty line, keeping the conversation', async () => {
    const r = await kgtune(['adapters', 'chat', tenant, 'mfg', '1', '--max-tokens', '4'], 'Who makes the X200 drill?\nAnd its price?\n\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`chatting with ${tenant}/mfg v1 \\(production\\) on base export-it@`));
    expect(r.stdout.match(/model> /g)).toHaveLength(2);
  });

  it('unknown versions and aliases, and bad formats, are one line', async () => {
    const cases: [string[], RegExp][] = [
      [['adapters', 'export', tenant, 'mfg', '7', '--format', 'gguf', '--out', path.join(work, 'x')], new RegExp(`no adapter ${tenant}/mfg v7 \\(versions: 1\\)`)],
      [['adapters', 'chat', tenant, 'mfg', 'staging', '--prompt', 'hi'], new RegExp(`no version of ${tenant}/mfg is staging \\(production→v1\\)`)],
      [['adapters', 'chat', 'nobody', 'mfg', '1', '--prompt', 'hi'], /no adapters registered for nobody\/mfg/],
      [['adapters', 'export', tenant, 'mfg', '1', '--format', 'onnx', '--out', path.join(work, 'y')], /--format must be one of peft, merged-hf, gguf, gguf-lora/],
    ];
    for (const [args, msg] of cases) {
      const r = await kgtune(args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
