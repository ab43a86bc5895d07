import { describe, expect, it } from 'vitest';
import { parsePipelineInput } from '../../../configs/pipeline-input.js';

const good = { tenant: 'acme', domain: 'manufacturing', corpus: 'sample', source: '/data/acme' };

describe('pipeline input: extraction', () => {
  it('defaults to the offline extractor', () => {
    expect(parsePipelineInput(good).extraction).toEqual({ mode: 'offline' });
  });

  it('fills the LLM defaults and infers the runtime', () => {
    const openai = parsePipelineInput({ ...good, extraction: { mode: 'llm', llm: { url: 'http://127.0.0.1:8000/v1', model: 'qwen' } } }).extraction.llm;
    expect(openai).toEqual({ runtime: 'openai', url: 'http://127.0.0.1:8000/v1', model: 'qwen', concurrency: 2, requestsPerMinute: 120, maxRetries: 2, timeoutMs: 120_000 });
    const local = parsePipelineInput({ ...good, extraction: { mode: 'both', llm: { modelPath: '/m/x.gguf', concurrency: 1 } } }).extraction.llm;
    expect(local).toMatchObject({ runtime: 'local', modelPath: '/m/x.gguf', concurrency: 1 });
  });

  it('rejects an LLM mode without a model, in one line naming the field', () => {
    expect(() => parsePipelineInput({ ...good, extraction: { mode: 'llm' } })).toThrow(/^invalid pipeline input — extraction\.llm: mode 'llm' needs llm: \{ url, model \} or llm: \{ modelPath \}$/);
    expect(() => parsePipelineInput({ ...good, extraction: { mode: 'llm', llm: { url: 'http://h/v1' } } })).toThrow(/extraction\.llm: the openai runtime needs url and model/);
    expect(() => parsePipelineInput({ ...good, extraction: { mode: 'llm', llm: { runtime: 'local', url: 'http://h/v1', model: 'm' } } })).toThrow(/extraction\.llm\.modelPath: the local runtime needs modelPath/);
    expect(() => parsePipelineInput({ ...good, extraction: { mode: 'llm', llm: { url: 'ftp://h', model: 'm' } } })).toThrow(/extraction\.llm\.url: must be an http\(s\) URL/);
    expect(() => parsePipelineInput({ ...good, extraction: { mode: 'smart' } })).toThrow(/extraction\.mode: /);
    expect(() => parsePipelineInput({ ...good, extraction: { mode: 'llm', llm: { modelPath: '/x.gguf', concurrency: 0 } } })).toThrow(/extraction\.llm\.concurrency: /);
  });

  it('does not accept an API key in the input (it would land in the workflow history)', () => {
    const p = parsePipelineInput({ ...good, extraction: { mode: 'llm', llm: { url: 'http://h/v1', model: 'm', apiKey: 'sk-secret' } } });
    expect(JSON.stringify(p)).not.toContain('sk-secret');
  });
});
