import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonProperty, StoredPropertyError } from '../../../graph/index.js';
import { GateResultSchema } from '../../../evaluation/index.js';

const Gates = z.array(GateResultSchema);
const NODE = 'Evaluation of AdapterVersion acme/legal v3';

function failure(f: () => unknown): StoredPropertyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StoredPropertyError);
    return e as StoredPropertyError;
  }
  throw new Error('expected a StoredPropertyError');
}

describe('JSON properties read back from Neo4j through their schema', () => {
  it('parses a well-formed property and gives the default when it is absent', () => {
    const gate = { name: 'exact_match', value: 0.5, threshold: 0.3, comparator: '>=', verdict: 'pass' };
    expect(jsonProperty(Gates, JSON.stringify([gate]), NODE, 'gates', [])).toMatchObject([gate]);
    expect(jsonProperty(Gates, null, NODE, 'gates', [])).toEqual([]);
    expect(jsonProperty(z.record(z.string(), z.string()), undefined, NODE, 'reports', {})).toEqual({});
  });

  it('a malformed property is one permanent line naming the node and the property, not a cast that crashes later', () => {
    for (const [value, why] of [['[{"name":"exact_match"', 'not valid JSON'], ['[{"name":"x","value":"high"}]', 'does not match its schema'], [42, 'not JSON text']] as const) {
      const e = failure(() => jsonProperty(Gates, value, NODE, 'gates', []));
      expect(e.message).toContain(`stored ${NODE}: property 'gates'`);
      expect(e.message).toContain(why);
      expect(e.message).not.toContain('\n');
      expect(e.retryable).toBe(false);
      expect(e.code).toBe('InvalidStoredProperty');
    }
    expect(failure(() => jsonProperty(Gates, null, NODE, 'gates')).message).toContain('is missing');
  });
});
