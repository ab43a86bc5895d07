import { describe, expect, it } from 'vitest';
import { demoInput } from '../../../cli/commands/demo.js';
import { REAL_BASE_TRAINING } from '../../../training/index.js';
import { PipelineInput } from '../../../configs/pipeline-input.js';

const raw = { tenant: 'demo', domain: 'manufacturing', corpus: 'sample', source: '/tmp/x' };

describe('demo input', () => {
  it('keeps the tiny base defaults and uses the real-base training settings on any other base (--steps wins)', () => {
    const tiny = PipelineInput.parse(raw);
    expect(demoInput(tiny, undefined)).toEqual(tiny);
    const real = demoInput(PipelineInput.parse({ ...raw, base: 'smollm2-135m-instruct' }), undefined);
    expect(real.training).toMatchObject(REAL_BASE_TRAINING);
    expect(real.training.replayEvery).toBe(tiny.training.replayEvery);
    // self-distillation is named on a real base's input (the model card shows it) and left unset on the tiny one
    expect(real.training.distillEvery).toBe(4);
    expect(tiny.training.distillEvery).toBeUndefined();
    expect(demoInput(PipelineInput.parse({ ...raw, base: 'smollm2-135m-instruct' }), '12').training.steps).toBe(12);
  });
});
