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
      if (/^CREATE (CONSTRAINT|INDEX|FULLTEXT)|^CALL db\.|^SHOW CONSTRAINTS/.test(q)) continue;
      expect(q, q).toMatch(/tenant: \$tenant/);
    }
  });
});

describe('fact and entity write statements', () => {
  const writes = [facts.UPSERT_ENTITIES, facts.UPSERT_MENTIONS, facts.UPSERT_FACTS, facts.FACT_CONFIDENCE];

  it('are one UNWIND each and SET properties by name (no `+=` map)', () => {
    for (const q of [facts.UPSERT_ENTITIES, facts.UPSERT_MENTIONS, facts.FACT_CONFIDENCE]) {
      expect(q.match(/\bUNWIND\b/g), q).toHaveLength(1);
      expect(q, q).not.toMatch(/\bCALL\b|\bcollect\(/);
    }
    for (const q of writes) expect(q, q).not.toMatch(/\+=/);
  });

  it('write a fact with all its links in one statement: unit subqueries only, nothing collected', () => {
    const q = facts.UPSERT_FACTS;
    expect(q.match(/^UNWIND \$rows AS row$/gm), q).toHaveLength(1);
    expect(q.match(/\bUNWIND\b/g), q).toHaveLength(2); // the rows, then each row's evidence inside its subquery
    expect(q, q).not.toMatch(/\bRETURN\b|\bcollect\(/);
    for (const r of [REL.SUBJECT, REL.OBJECT, REL.EVIDENCE]) expect(q).toMatch(new RegExp(`MERGE \\(f\\)-\\[\\w*:${r}\\b`));
    expect(q).not.toMatch(/\bCREATE\b/);
  });

  it('never look a node up by a row key that the same statement SETs as a property (the planner would add an Eager)', () => {
    for (const q of writes) {
      const set = new Set([...q.matchAll(/\b[a-z]\.(\w+) = /g)].map((m) => m[1]));
      const lookups = [...q.matchAll(/(?:MATCH|MERGE) \(\w+:\w+ \{[^}]*\}/g)].flatMap((m) => [...m[0].matchAll(/\b(?:row|ev)\.(\w+)/g)].map((x) => x[1]));
      for (const k of lookups) expect(set.has(k), `${k} in ${q}`).toBe(false);
    }
  });
});

describe('factRows', () => {
  it('makes one row per fact with its subject, object (entity objects only) and evidence spans', async () => {
    const { factRows } = await import('../../../graph/store.js');
    const ev = (chunkId: string, confidence: number) => ({ chunkId, docSha256: 'd', page: 1, sentenceStart: 0, sentenceEnd: 4, sentence: 'x', confidence });
    const base = { subject: 'A', subjectType: 'Organization', predicate: 'RELATED_TO', objectType: 'Organization', confidence: 0.5, lang: 'en' as const };
    const rows = factRows([
      { ...base, id: 'f1', subjectId: 'e1', objectId: 'e2', object: 'B', evidence: [ev('c1', 0.5), ev('c2', 0.7)] },
      { ...base, id: 'f2', subjectId: 'e1', object: '12 kg', predicate: 'ATTR:weight', evidence: [ev('c1', 0.9)] },
    ]);
    expect(rows.map((f) => [f.id, f.sid, f.oid, f.object])).toEqual([['f1', 'e1', 'e2', 'B'], ['f2', 'e1', null, '12 kg']]);
    expect(rows.map((f) => f.ev)).toEqual([
      [{ cid: 'c1', ss: 0, se: 4, conf: 0.5 }, { cid: 'c2', ss: 0, se: 4, conf: 0.7 }],
      [{ cid: 'c1', ss: 0, se: 4, conf: 0.9 }],
    ]);
  });
});
