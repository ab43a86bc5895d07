/** The corpus listing comes in bounded pages: any corpus size fits Temporal's 2 MB payload limit. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestActivities } from '../../../activities/ingest.js';

let dir: string;
const acts = createIngestActivities({ driver: {} as Driver }); // listing never touches Neo4j
const N = 2_500;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kgtune-list-'));
  const long = 'x'.repeat(180);
  for (let i = 0; i < N; i++) {
    const sub = path.join(dir, `d${i % 7}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `${long}-${String(i).padStart(5, '0')}.txt`), 'a');
  }
  writeFileSync(path.join(dir, '.hidden.meta.json'), '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listCorpusPage', () => {
  it('pages through the same sorted listing as listCorpus, each page bounded in files and bytes', async () => {
    const { files: all } = await acts.listCorpus({ source: dir });
    expect(all).toHaveLength(N);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await acts.listCorpusPage({ source: dir, ...(after !== undefined ? { after } : {}) });
      pages++;
      expect(page.total).toBe(N);
      expect(page.files.length).toBeLessThanOrEqual(1000);
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(300 * 1024);
      seen.push(...page.files);
      if (page.next === undefined) break;
      expect(page.next).toBe(page.files[page.files.length - 1]);
      after = page.next;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });

  it('honours a smaller limit, and a cursor between names', async () => {
    const { files: all } = await acts.listCorpus({ source: dir });
    const p = await acts.listCorpusPage({ source: dir, limit: 10 });
    expect(p.files).toEqual(all.slice(0, 10));
    const mid = `${all[4] as string}!`; // sorts after all[4], before all[5]
    expect((await acts.listCorpusPage({ source: dir, after: mid, limit: 2 })).files).toEqual(all.slice(5, 7));
    const last = await acts.listCorpusPage({ source: dir, after: all[N - 2] as string });
    expect(last).toEqual({ files: [all[N - 1]], total: N });
  });

  it('rejects a missing folder as bad input', async () => {
    await expect(acts.listCorpusPage({ source: path.join(dir, 'nope') })).rejects.toThrow(/corpus folder not found/);
  });
});
