import { ApplicationFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classify } from '../../../activities/errors.js';

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
});
