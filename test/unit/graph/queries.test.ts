import { describe, expect, it } from 'vitest';
import { LABEL, REL } from '../../../graph/queries/allow-list.js';
import * as content from '../../../graph/queries/content.js';
import * as datasets from '../../../graph/queries/datasets.js';
import * as documents from '../../../graph/queries/documents.js';
import * as facts from '../../../graph/queries/facts.js';
import * as schema from '../../../graph/queries/schema.js';
import * as snapshots from '../../../graph/queries/snapshots.js';
import * as withdraw from '../../../graph/queries/withdraw.js';

const all = [content, datasets, documents, facts, schema, snapshots, withdraw].flatMap((m) => Object.values(m).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : Object.values(v as object))));

describe('Cypher constants', () => {
  it('use only allow-listed labels and relationship types', () => {
    for (const q of all as string[]) {
      for (const m of q.matchAll(/\(\w*:(\w+)/g)) expect(Object.values(LABEL), q).toContain(m[1]);
      for (const m of q.matchAll(/\[\w*:([\w|]+)/g)) for (const r of m[1]!.split('|')) expect(Object.values(REL), q).toContain(r);
    }
  });

  it('carry values only as $parameters and scope every node pattern to a tenant', () => {
    for (const q of all as string[]) {
      expect(q).not.toMatch(/\$\{/);
      if (/^CREATE (CONSTRAINT|INDEX|FULLTEXT)|^CALL db\./.test(q)) continue;
      expect(q, q).toMatch(/tenant: \$tenant/);
    }
  });
});
