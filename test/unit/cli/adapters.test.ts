import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promotionPrecheck, promotionWorkflowId } from '../../../cli/commands/adapters.js';
import { projectRoot } from '../../../configs/env.js';

const ref = { tenant: 'acme', domain: 'mfg', version: 3, to: 'production' as const };

describe('adapters promote pre-checks', () => {
  it('a missing version is an error naming the versions that exist', () => {
    expect(() => promotionPrecheck([{ version: 1, aliases: [] }, { version: 2, aliases: ['staging'] }], ref)).toThrow('no adapter acme/mfg v3 (versions: 1, 2)');
    expect(() => promotionPrecheck([], ref)).toThrow(/no versions registered/);
  });

  it('a version already holding the target alias needs no promotion workflow', () => {
    expect(promotionPrecheck([{ version: 3, aliases: ['production', 'staging'] }], ref)).toBe('already');
    expect(promotionPrecheck([{ version: 3, aliases: ['staging'] }], ref)).toBe('start');
  });

  it('one workflow id per tenant, domain, version and target (no duplicate approval workflows)', () => {
    expect(promotionWorkflowId('acme', 'mfg', 3, 'production')).toBe(promotionWorkflowId('acme', 'mfg', 3, 'production'));
    expect(promotionWorkflowId('acme', 'mfg', 3, 'production')).not.toBe(promotionWorkflowId('acme', 'mfg', 3, 'staging'));
  });
});

describe('kgtune adapters list without --tenant', () => {
  it('says what to pass, in one line', () => {
    // A port nothing listens on: the hint must not depend on the registry being up.
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), 'adapters', 'list'], { encoding: 'utf8', cwd: projectRoot(), env: { ...process.env, NEO4J_BOLT_PORT: '1' } });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--tenant is required: pass the tenant whose adapters to list .*kgtune tenants list/);
  });
});
