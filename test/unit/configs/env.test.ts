import { describe, expect, it } from 'vitest';
import { ConfigError, envValue, loadEnv } from '../../../configs/env.js';

describe('environment read in configs/env.ts only', () => {
  it('validates the variables other modules used to read themselves, with their defaults', () => {
    const env = loadEnv({ KGTUNE_LOG_LEVEL: 'info', KGTUNE_LLM_API_KEY: 'k', KGTUNE_MAVEN_SETTINGS: '/s.xml' }, '/tmp');
    expect(env).toMatchObject({ KGTUNE_PYTHON: 'python3', KGTUNE_LOG_LEVEL: 'INFO', KGTUNE_LLM_API_KEY: 'k', KGTUNE_MAVEN_SETTINGS: '/s.xml' });
    expect(loadEnv({}, '/tmp').KGTUNE_LOG_LEVEL).toBe('WARN');
    expect(() => loadEnv({ KGTUNE_LOG_LEVEL: 'loud' }, '/tmp')).toThrow(/KGTUNE_LOG_LEVEL/);
  });

  it('envValue reads one variable through the same schema (empty = unset) and fails in one line', () => {
    expect(envValue('KGTUNE_PYTHON', {})).toBe('python3');
    expect(envValue('KGTUNE_PYTHON', { KGTUNE_PYTHON: '' })).toBe('python3');
    expect(envValue('KGTUNE_PYTHON', { KGTUNE_PYTHON: '/opt/py/bin/python3.11' })).toBe('/opt/py/bin/python3.11');
    expect(envValue('KGTUNE_HOME', {})).toBe('.kgtune');
    expect(envValue('KGTUNE_TRAIN_BACKEND', {})).toBeUndefined();
    expect(() => envValue('KGTUNE_TRAIN_BACKEND', { KGTUNE_TRAIN_BACKEND: 'gpu' })).toThrow(ConfigError);
    expect(() => envValue('KGTUNE_TRAIN_BACKEND', { KGTUNE_TRAIN_BACKEND: 'gpu' })).toThrow(/^invalid environment: KGTUNE_TRAIN_BACKEND: /);
  });
});
