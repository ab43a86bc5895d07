import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../configs/env.js';

const kgtune = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), ...args], { encoding: 'utf8', cwd: projectRoot() });

describe('kgtune CLI (the README entry point)', () => {
  it('--help lists every command', () => {
    const r = kgtune('--help');
    expect(r.status).toBe(0);
    for (const c of ['services', 'worker', 'healthcheck', 'run', 'status', 'cancel', 'demo', 'adapters', 'tenants', 'api', 'setup', 'base']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('bad input is one line on stderr, exit code 1, no stack trace', () => {
    for (const args of [['bogus'], ['run', '/nonexistent-folder', '--tenant', 'a', '--domain', 'b'], ['run', '.', '--tenant', 'Bad Tenant', '--domain', 'b'], ['worker', '--queue', 'tpu'], ['setup', 'tpu']]) {
      const r = kgtune(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kgtune: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('api: the server runs as its own process (api/serve.mjs); a failure to start is its one line, exit code 1', () => {
    // a port where no Neo4j listens (1 is privileged and never bound by a test stack)
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), 'api', '--port', '0'], { encoding: 'utf8', env: { ...process.env, NEO4J_BOLT_PORT: '1' }, timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kgtune: Neo4j is not reachable at bolt:\/\/[^ ]+:1 — start it with `kgtune services up`$/)]);
  });

  it('invalid environment is reported with the variable name', () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), 'services', 'status'], { encoding: 'utf8', env: { ...process.env, NEO4J_BOLT_PORT: 'seventy' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NEO4J_BOLT_PORT/);
  });

  it('base: bad ids, flags and folders are one line on stderr, exit code 1', () => {
    for (const args of [['base', 'pull', 'nope'], ['base', '--steps', 'x'], ['base', 'import', '/nonexistent-folder']]) {
      const r = kgtune(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kgtune: /);
    }
  });

  it('base list shows what can be pulled; run --base makes a folder path absolute and keeps an id', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kgtune-cli-'));
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), 'base', 'list'], { encoding: 'utf8', cwd: projectRoot(), env: { ...process.env, KGTUNE_HOME: home } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/smollm2-135m-instruct .*not pulled .*\.\/kgtune base pull smollm2-135m-instruct/);
    const { buildInput } = await import('../../../cli/commands/run.js');
    const base = (b: string) => buildInput(['.', '--tenant', 'a', '--domain', 'b', '--base', b]).base;
    expect(base('./models/acme')).toBe(path.resolve('models/acme'));
    expect(base('smollm2-135m-instruct')).toBe('smollm2-135m-instruct');
    expect(buildInput(['.', '--tenant', 'a', '--domain', 'b']).base).toBe('tiny');
  });
});

describe('kgtune run: the tenant PII policy from flags', () => {
  it('--pii-kinds/--pii-action/--pii-allow become the pipeline input `pii`; a bad kind is one clear line', async () => {
    const { buildInput } = await import('../../../cli/commands/run.js');
    const base = [projectRoot(), '--tenant', 'acme', '--domain', 'd'];
    expect(buildInput(base).pii).toBeUndefined();
    expect(buildInput([...base, '--pii-kinds', 'mobile, email', '--pii-action', 'hash', '--pii-allow', '400-820-8820']).pii)
      .toEqual({ kinds: ['mobile', 'email'], action: 'hash', allow: ['400-820-8820'] });
    expect(() => buildInput([...base, '--pii-kinds', 'phone'])).toThrow(/^invalid pipeline input — pii\.kinds\.0: /);
  });
});
