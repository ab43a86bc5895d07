import { describe, expect, it } from 'vitest';
import { configDigest, parsePipelineInput, pipelineWorkflowId } from '../../../configs/pipeline-input.js';
import { derivedTrainerKnobs, TrainingOptions } from '../../../training/contract.js';
import { LoraConfigSchema, loraOptions, parseLoraConfig } from '../../../training/lora/config.js';
import { parseTrainerConfig, TrainerConfigSchema, trainerOptions } from '../../../training/trainer/config.js';
import { TrainingError } from '../../../training/errors.js';
import { pretrainDigestView, pretrainTrainerConfig, TINY_BASE_TRAINER } from '../../../training/index.js';

describe('training contract: one vocabulary, one set of defaults', () => {
  it('a default pipeline input keeps its config digest and workflow id (values from main before the contracts)', () => {
    const input = parsePipelineInput({ tenant: 'acme', domain: 'legal', corpus: 'contracts', source: '/data/x' });
    expect(configDigest(input)).toBe('5df7e9b93f594716');
    expect(pipelineWorkflowId(input)).toBe('pipeline-acme-contracts-5df7e9b93f59');
    expect(input.training).toEqual({
      rank: 32, alpha: 64, dropout: 0, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], steps: 800, learningRate: 0.005,
      batchSize: 16, replayEvery: 4, keepBestValidation: false, checkpointEvery: 50, seed: 1,
    });
  });

  it('LoRA and trainer configs take the pipeline fields by name, with the pipeline defaults', () => {
    const o = TrainingOptions.parse({});
    const lora = LoraConfigSchema.parse(loraOptions(o));
    expect(lora).toEqual({ rank: o.rank, alpha: o.alpha, dropout: o.dropout, targets: o.targets, rsLora: false });
    const t = TrainerConfigSchema.parse(trainerOptions(o));
    expect(t).toMatchObject({ steps: o.steps, batchSize: o.batchSize, learningRate: o.learningRate, keepBestValidation: o.keepBestValidation, checkpointEvery: o.checkpointEvery, seed: o.seed });
    // the values the training activity derived before (evalEvery max(1, steps/10), warmup min(20, steps/10))
    expect(t).toMatchObject({ evalEvery: 80, warmupSteps: 20 });
    expect(LoraConfigSchema.parse({})).toEqual(lora);
    expect(TrainerConfigSchema.parse({})).toEqual(t);
  });

  it('an old or unknown name fails in one line instead of being dropped for the default (strict schemas)', () => {
    const fails = (f: () => unknown, ...words: string[]) => {
      let err: unknown;
      try { f(); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(TrainingError);
      const e = err as TrainingError;
      expect(e.type).toBe('InvalidTrainingConfig');
      expect(e.retryable).toBe(false);
      expect(e.message).not.toContain('\n');
      for (const w of words) expect(e.message).toContain(w);
    };
    fails(() => parseLoraConfig({ r: 8, alpha: 16 }), 'LoRA config', '"r"');
    fails(() => parseTrainerConfig({ lr: 1e-3 }), 'trainer config', '"lr"');
    fails(() => parseTrainerConfig({ steps: 10, loadBestAtEnd: true }), '"loadBestAtEnd"');
    // a pipeline's whole training block is not a trainer config: replayEvery and rank are not the trainer's
    fails(() => parseTrainerConfig(TrainingOptions.parse({})), 'replayEvery', 'rank');
    expect(parseTrainerConfig({ steps: 10, learningRate: 1e-3, keepBestValidation: true })).toMatchObject({ learningRate: 1e-3, keepBestValidation: true });
    expect(parseLoraConfig({ rank: 8 }).rank).toBe(8);
  });

  it('derived knobs come from one place; explicit values win', () => {
    expect(derivedTrainerKnobs({ steps: 5 })).toEqual({ evalEvery: 1, warmupSteps: 0 });
    expect(derivedTrainerKnobs({ steps: 80 })).toEqual({ evalEvery: 8, warmupSteps: 8 });
    expect(TrainerConfigSchema.parse({ steps: 80 })).toMatchObject({ evalEvery: 8, warmupSteps: 8 });
    expect(TrainerConfigSchema.parse({ steps: 80, evalEvery: 0, warmupSteps: 3 })).toMatchObject({ evalEvery: 0, warmupSteps: 3 });
  });

  it('the tiny base pretrains with the settings it always had: its digest input is unchanged (string from main)', () => {
    const t = pretrainTrainerConfig({ trainer: TINY_BASE_TRAINER, steps: 150, seed: 1 });
    expect(JSON.stringify(pretrainDigestView(t))).toBe(
      '{"steps":150,"batchSize":8,"gradAccum":1,"seqLen":128,"lr":0.002,"warmupSteps":15,"minLrRatio":0.1,"weightDecay":0.1,"beta1":0.9,"beta2":0.999,"eps":1e-8,"clipNorm":1,"evalEvery":0,"patience":0,"checkpointEvery":0,"seed":1}',
    );
  });

  it('the pipeline refuses a checkpoint interval of 0 (a retry must find a checkpoint); the trainer allows it for pretraining', () => {
    expect(TrainingOptions.safeParse({ checkpointEvery: 0 }).success).toBe(false);
    expect(TrainerConfigSchema.parse({ checkpointEvery: 0 }).checkpointEvery).toBe(0);
  });
});
