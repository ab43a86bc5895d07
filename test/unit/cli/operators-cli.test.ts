import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../configs/env.js';

const kgtune = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), ...args], { encoding: 'utf8', cwd: projectRoot() });

describe('kgtune operators', () => {
  it('is listed by --help', () => {
    expect(kgtune('--help').stdout).toMatch(/^ {2}operators\b/m);
  });

  it('bad usage is one line on stderr, exit code 1, before any connection', () => {
    for (const args of [['operators'], ['operators', 'grant', 'x']]) {
      const r = kgtune(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kgtune: usage: kgtune operators create <name> \| list \| revoke <keyId>/);
    }
  });
});
