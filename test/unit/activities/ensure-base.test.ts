import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createTrainingActivities } from '../../../activities/training.js';
import { loadEnv } from '../../../configs/env.js';
import { saveModel } from '../../../training/model/io.js';
import { microModel, tmpDir, useWasm } from '../training/helpers.js';

describe('ensureBaseModel (the pipeline input `base`)', () => {
  it('resolves an HF folder path to its immutable catalogue folder, id and sha256', async () => {
    await useWasm();
    const home = await tmpDir('kgtune-home-');
    const src = path.join(await tmpDir('kgtune-hf-'), 'acme-base');
    const m = microModel();
    await saveModel(m, src);
    m.dispose();
    await writeFile(path.join(src, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: {}, merges: [] } }));
    await writeFile(path.join(src, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{{ messages }}' }));
    const acts = createTrainingActivities({ env: loadEnv({ KGTUNE_HOME: home }) });
    const r = (await new MockActivityEnvironment().run(acts.ensureBaseModel, { seed: 1, base: src })) as Awaited<ReturnType<typeof acts.ensureBaseModel>>;
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.baseDir).toBe(path.join(path.resolve(home), 'models', 'bases', r.sha256));
    expect(r.baseModelId).toBe(`acme-base@${r.sha256.slice(0, 12)}`);
    // same folder again: the same base, not a copy
    expect(await new MockActivityEnvironment().run(acts.ensureBaseModel, { seed: 1, base: src })).toEqual(r);
  });

  it('an unknown base fails permanently (no retries) with one line', async () => {
    const acts = createTrainingActivities({ env: loadEnv({ KGTUNE_HOME: await tmpDir('kgtune-home-') }) });
    const err = await new MockActivityEnvironment().run(acts.ensureBaseModel, { seed: 1, base: 'no-such-base' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).message).toMatch(/^unknown base "no-such-base"/);
  });
});
