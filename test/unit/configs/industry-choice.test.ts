/** The industry pack is an explicit, validated, visible choice (issue 13: `--domain generic` silently used manufacturing). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { createIngestActivities } from '../../../activities/ingest.js';
import { classify } from '../../../activities/errors.js';
import { buildInput, describeInput } from '../../../cli/commands/run.js';
import { demoRunArgs } from '../../../cli/commands/demo.js';
import { UsageError } from '../../../cli/errors.js';
import { projectRoot } from '../../../configs/env.js';
import { DEFAULT_INDUSTRY, INDUSTRY_PACKS } from '../../../configs/industry-names.js';
import { IndustryPackError, loadIndustryPack, shippedPackNames } from '../../../configs/industry-pack.js';
import { parsePipelineInput } from '../../../configs/pipeline-input.js';

const good = { tenant: 'acme', domain: 'generic', corpus: 'sample', source: '/data/acme' };

describe('industry pack choice', () => {
  it('the validated names are exactly the shipped packs (configs/industries/*.yaml)', () => {
    expect([...INDUSTRY_PACKS].sort()).toEqual(shippedPackNames());
    for (const name of INDUSTRY_PACKS) expect(loadIndustryPack(name).name).toBe(name);
  });

  it('defaults to the generic pack, which has no industry-specific relation', () => {
    expect(DEFAULT_INDUSTRY).toBe('generic');
    const p = parsePipelineInput(good);
    expect(p.industry).toBe('generic');
    const relations = loadIndustryPack(p.industry).relationTypes.map((r) => r.name);
    expect(relations).not.toContain('CERTIFIED');
    expect(relations).not.toContain('PRICED_AT');
    expect(loadIndustryPack('manufacturing').relationTypes.map((r) => r.name)).toContain('CERTIFIED');
  });

  it('an unknown pack fails input validation with one line naming the known packs', () => {
    let msg = '';
    try {
      parsePipelineInput({ ...good, industry: 'pharma' });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^invalid pipeline input — industry: unknown industry pack "pharma" — known packs: generic, manufacturing/);
    expect(msg).not.toContain('\n');
  });

  it('loading an unknown pack later names the known packs and is never retried', () => {
    expect(() => loadIndustryPack('pharma')).toThrow(/unknown industry pack "pharma" — known packs: generic, manufacturing/);
    const failure = classify(new IndustryPackError('unknown industry pack "pharma"'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('ingestBatch refuses an unknown pack before it writes anything', async () => {
    // any use of this driver would throw a TypeError instead of the pack error
    const acts = createIngestActivities({ driver: {} as Driver });
    const err = await new MockActivityEnvironment().run(acts.ingestBatch, { tenant: 't', corpus: 'c', source: '/nowhere', files: ['a.txt'], industry: 'pharma' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as Error).message).toMatch(/unknown industry pack "pharma"/);
  });

  it('the CLI takes --industry, rejects an unknown one as a usage error, and prints the choice', () => {
    const dir = projectRoot();
    expect(buildInput([dir, '--tenant', 'a', '--domain', 'b']).industry).toBe('generic');
    const manufacturing = buildInput([dir, '--tenant', 'a', '--domain', 'b', '--industry', 'manufacturing']);
    expect(manufacturing.industry).toBe('manufacturing');
    expect(describeInput(manufacturing)).toMatch(/industry pack manufacturing \(configs\/industries\/manufacturing\.yaml/);
    expect(() => buildInput([dir, '--tenant', 'a', '--domain', 'b', '--industry', 'pharma'])).toThrow(UsageError);
  });

  it('the demo runs its manufacturing sample corpus with the manufacturing pack, said so explicitly', () => {
    const args = demoRunArgs({});
    expect(args.slice(args.indexOf('--industry'), args.indexOf('--industry') + 2)).toEqual(['--industry', 'manufacturing']);
    expect(buildInput(args).industry).toBe('manufacturing');
  });

  it('`kgtune run --help` documents --industry and the packs', () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), 'run', '--help'], { encoding: 'utf8', cwd: projectRoot() });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[--industry generic|manufacturing]');
    expect(r.stdout).toMatch(/default generic/);
  }, 180_000);
});
