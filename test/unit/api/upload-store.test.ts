import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/errors.js';
import { UploadStore, type Candidate } from '../../../api/upload-store.js';

const root = mkdtempSync(path.join(tmpdir(), 'kgtune-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function stage(store: UploadStore, staging: string, text: string, name: string): Promise<Candidate> {
  const stagedPath = path.join(staging, `${Math.random().toString(36).slice(2)}`);
  writeFileSync(stagedPath, text);
  return { stagedPath, sha256: createHash('sha256').update(text).digest('hex'), size: Buffer.byteLength(text), mime: 'text/plain', ext: 'txt', originalName: name };
}

describe('UploadStore', () => {
  it('lives next to the artifacts folder', () => {
    expect(UploadStore.forArtifacts('/x/.kgtune/artifacts').root).toBe('/x/.kgtune/uploads');
  });

  it('stores under <tenant>/<corpus>/<sha256>.<ext> with an original-name sidecar; duplicates are reported, not stored', async () => {
    const store = new UploadStore(root);
    const staging = await store.newStaging();
    const a = await stage(store, staging, 'alpha', '../../etc/Report Q1.txt');
    const again = await stage(store, staging, 'alpha', 'copy.txt');
    const r = await store.commit('t1', 'c1', [a, again], 1_000, 'key1', staging);
    expect(r.results.map((x) => x.status)).toEqual(['stored', 'duplicate']);
    const dir = store.corpusDir('t1', 'c1');
    expect(readdirSync(dir).sort()).toEqual([`.${a.sha256}.meta.json`, `${a.sha256}.txt`]);
    expect(JSON.parse(readFileSync(path.join(dir, `.${a.sha256}.meta.json`), 'utf8'))).toMatchObject({ originalName: '../../etc/Report Q1.txt', keyId: 'key1', size: 5 });
    const later = await stage(store, staging, 'alpha', 'third.txt');
    const r2 = await store.commit('t1', 'c1', [later], 1_000, 'key1', staging);
    expect(r2.results[0]!.status).toBe('duplicate');
    expect(await store.usage('t1')).toBe(5);
    expect((await store.listFiles('t1', 'c1')).map((f) => f.originalName)).toEqual(['../../etc/Report Q1.txt']);
  });

  it('enforces the tenant quota over all its corpora, storing nothing of a request that would exceed it', async () => {
    const store = new UploadStore(root);
    const staging = await store.newStaging();
    await store.commit('t2', 'one', [await stage(store, staging, '0123456789', 'a.txt')], 25, 'k', staging);
    const b = await stage(store, staging, 'abcdefghij', 'b.txt');
    const c = await stage(store, staging, 'ABCDEFGHIJ', 'c.txt');
    await expect(store.commit('t2', 'two', [b, c], 25, 'k', staging)).rejects.toMatchObject({ code: 'quota_exceeded', statusCode: 413 });
    expect(existsSync(store.corpusDir('t2', 'two'))).toBe(false);
    expect(await store.usage('t2')).toBe(10);
    // duplicates cost nothing, so re-uploading a stored file never hits the quota
    const dup = await stage(store, staging, '0123456789', 'again.txt');
    const r = await store.commit('t2', 'one', [dup, b], 25, 'k', staging);
    expect(r.results.map((x) => x.status)).toEqual(['duplicate', 'stored']);
    expect(r.usedBytes).toBe(20);
  });

  it('serialises concurrent commits of one tenant, so two requests cannot both squeeze under the quota', async () => {
    const store = new UploadStore(root);
    const s1 = await store.newStaging();
    const s2 = await store.newStaging();
    const x = await stage(store, s1, 'x'.repeat(15), 'x.txt');
    const y = await stage(store, s2, 'y'.repeat(15), 'y.txt');
    const results = await Promise.allSettled([store.commit('t3', 'c', [x], 20, 'k', s1), store.commit('t3', 'c', [y], 20, 'k', s2)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ApiError);
    expect(await store.usage('t3')).toBe(15);
  });

  it('ignores anything but <sha256>.<ext> data files in usage and listings, and cleans stale staging', async () => {
    const store = new UploadStore(root);
    const dir = store.corpusDir('t4', 'c');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    expect(await store.usage('t4')).toBe(0);
    const old = await store.newStaging();
    utimesSync(old, new Date(0), new Date(0));
    const fresh = await store.newStaging();
    expect(await store.cleanStaleStaging()).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
