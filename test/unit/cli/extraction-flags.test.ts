import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInput } from '../../../cli/commands/run.js';
import { projectRoot } from '../../../configs/env.js';

const folder = path.join(projectRoot(), 'examples', 'sample-corpus');
const base = [folder, '--tenant', 'acme', '--domain', 'manufacturing'];

describe('kgtune run: extraction flags', () => {
  it('offline without flags', () => {
    expect(buildInput(base).extraction).toEqual({ mode: 'offline' });
  });

  it('--extraction llm with an endpoint, and --llm-model-path for a local GGUF (absolute path, runtime inferred)', () => {
    expect(buildInput([...base, '--extraction', 'llm', '--llm-url', 'http://127.0.0.1:11434/v1', '--llm-model', 'qwen2.5:7b', '--llm-rpm', '30']).extraction)
      .toMatchObject({ mode: 'llm', llm: { runtime: 'openai', url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', requestsPerMinute: 30 } });
    expect(buildInput([...base, '--extraction', 'both', '--llm-model-path', 'models/x.gguf']).extraction)
      .toMatchObject({ mode: 'both', llm: { runtime: 'local', modelPath: path.resolve('models/x.gguf') } });
  });

  it('one-line usage errors for incomplete or contradictory flags', () => {
    expect(() => buildInput([...base, '--extraction', 'llm'])).toThrow(/extraction\.llm: mode 'llm' needs llm: \{ url, model \}/);
    expect(() => buildInput([...base, '--extraction', 'llm', '--llm-url', 'http://h/v1'])).toThrow(/the openai runtime needs url and model/);
    expect(() => buildInput([...base, '--extraction', 'offline', '--llm-model', 'm'])).toThrow(/--llm-\* flags need --extraction llm or both/);
    expect(() => buildInput([...base, '--extraction', 'llm', '--llm-model-path', 'x.gguf', '--llm-concurrency', 'two'])).toThrow(/--llm-concurrency must be a whole number/);
  });
});
