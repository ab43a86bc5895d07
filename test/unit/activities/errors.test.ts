import { ApplicationFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classify } from '../../../activities/errors.js';
import { ConfigError } from '../../../configs/env.js';
import { IndustryPackError } from '../../../configs/industry-pack.js';
import { InputError } from '../../../configs/pipeline-input.js';
import type { KgtuneError } from '../../../configs/pure/errors.js';
import { GraphStoreError, GraphValidationError, LlmExtractionError } from '../../../graph/errors.js';
import { IngestError } from '../../../ingest/errors.js';
import { SynthesisError } from '../../../synthesis/errors.js';
import { TrainingCancelled, TrainingError } from '../../../training/errors.js';
import { EvaluationError } from '../../../evaluation/errors.js';
import { RegistryError } from '../../../registry/errors.js';
import { ArtifactStoreError } from '../../../registry/s3-artifact-store.js';
import { NON_RETRYABLE } from '../../../workflows/options.js';

describe('classify', () => {
  it('a ZodError from a stage module is permanent, with a one-line message (not retried 8 times)', () => {
    const r = z.object({ actor: z.string().min(1) }).safeParse({ actor: '' });
    if (r.success) throw new Error('expected a parse failure');
    const out = classify(r.error);
    expect(out).toBeInstanceOf(ApplicationFailure);
    expect((out as ApplicationFailure).nonRetryable).toBe(true);
    expect((out as ApplicationFailure).type).toBe('ValidationError');
    expect((out as ApplicationFailure).message).toMatch(/^invalid input: actor: /);
    expect((out as ApplicationFailure).message).not.toContain('\n');
  });

  it('other errors pass through unchanged (Temporal retries them)', () => {
    const e = new Error('connection refused');
    expect(classify(e)).toBe(e);
  });

  it('a KgtuneError its thrower marked permanent becomes non-retryable, typed with its stable code', () => {
    const permanent: [KgtuneError, string][] = [
      [new GraphValidationError('bad fact'), 'GraphValidationError'],
      [new LlmExtractionError('key refused', true), 'LlmExtractionError'],
      [new IngestError('IngestEncryptedDocument', 'encrypted'), 'IngestEncryptedDocument'],
      [new SynthesisError('EmptySnapshot', 'no facts'), 'EmptySnapshot'],
      [new TrainingError('NonFiniteLoss', 'loss is NaN'), 'NonFiniteLoss'],
      [new EvaluationError('bad safetensors', 'InvalidSafetensors'), 'InvalidSafetensors'],
      [new RegistryError('AdapterNotFound', 'no v3'), 'AdapterNotFound'],
      [new ArtifactStoreError('BucketNotFound', 'bucket missing', true), 'BucketNotFound'],
      [new ConfigError('invalid environment'), 'ConfigError'],
      [new InputError('invalid pipeline input'), 'ValidationError'],
      [new IndustryPackError('unknown pack'), 'IndustryPackError'],
    ];
    for (const [e, code] of permanent) {
      expect(e.retryable, code).toBe(false);
      const out = classify(e) as ApplicationFailure;
      expect(out, code).toBeInstanceOf(ApplicationFailure);
      expect(out.nonRetryable).toBe(true);
      expect(out.type).toBe(code);
      expect(out.message).toBe(e.message);
    }
  });

  it('a KgtuneError its thrower marked retryable propagates unchanged (Temporal retries it)', () => {
    for (const e of [
      new GraphStoreError('deadlock'), new LlmExtractionError('endpoint busy'), new IngestError('IngestCorruptDocument', 'worker died', { permanent: false }),
      new TrainingError('InvalidCheckpoint', 'half-written'), new TrainingCancelled('/ckpt', 3), new ArtifactStoreError('EndpointUnreachable', 'connect refused', false),
    ]) {
      expect(e.retryable).toBe(true);
      expect(classify(e)).toBe(e);
    }
  });

  it('the workflows\' non-retryable list names only types something throws', () => {
    expect(NON_RETRYABLE).toEqual(['BadInput', 'ConfigError', 'ValidationError']);
  });
});
