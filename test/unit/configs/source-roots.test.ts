import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestActivities } from '../../../activities/ingest.js';
import { loadEnv } from '../../../configs/env.js';
import { checkSource, sourcePolicy, sourceRefusal } from '../../../configs/source-roots.js';

let home: string;
let uploads: string;
beforeAll(() => {
  home = mkdtempSync(path.join(tmpdir(), 'kgtune-roots-'));
  uploads = path.join(home, 'uploads');
  for (const t of ['tenant-a', 'tenant-b']) {
    mkdirSync(path.join(uploads, t, 'docs'), { recursive: true });
    writeFileSync(path.join(uploads, t, 'docs', 'secret.txt'), `${t} only`);
  }
  mkdirSync(path.join(home, 'elsewhere'));
  writeFileSync(path.join(home, 'elsewhere', 'a.txt'), 'x');
  symlinkSync(path.join(uploads, 'tenant-b', 'docs'), path.join(home, 'elsewhere', 'link-to-b'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('sourceRefusal', () => {
  const policy = { uploadsRoot: '/srv/uploads', roots: [] };
  it('an upload folder only for its own tenant', () => {
    expect(sourceRefusal('a', '/srv/uploads/a/docs', policy)).toBeNull();
    expect(sourceRefusal('a', '/srv/uploads/b/docs', policy)).toMatch(/not in tenant a's own/);
    expect(sourceRefusal('a', '/srv/uploads', policy)).toMatch(/not in tenant a's own/);
    expect(sourceRefusal('a', '/srv/uploads/a', policy)).toMatch(/not in tenant a's own/); // all of a's corpora at once: no
    expect(sourceRefusal(undefined, '/srv/uploads/a/docs', policy)).not.toBeNull();
    expect(sourceRefusal('a', '/srv/uploads-other/x', policy)).toBeNull(); // a prefix is not a parent
  });
  it('other folders: anywhere when no roots are configured, else inside one', () => {
    expect(sourceRefusal('a', '/home/me/docs', policy)).toBeNull();
    const strict = { uploadsRoot: '/srv/uploads', roots: ['/data/corpora'] };
    expect(sourceRefusal('a', '/data/corpora/x', strict)).toBeNull();
    expect(sourceRefusal('a', '/home/me/docs', strict)).toMatch(/outside the allowed roots \(KGTUNE_SOURCE_ROOTS: \/data\/corpora\)/);
  });
  it('KGTUNE_SOURCE_ROOTS and the upload root come from the environment', () => {
    const env = loadEnv({ KGTUNE_HOME: home, KGTUNE_ARTIFACTS: path.join(home, 'artifacts'), KGTUNE_SOURCE_ROOTS: ['/x', '/y'].join(path.delimiter) }, home);
    expect(sourcePolicy(env)).toEqual({ uploadsRoot: uploads, roots: ['/x', '/y'] });
  });
});

describe('the ingest listing enforces it (runs started from the Temporal Web UI too)', () => {
  const acts = () => createIngestActivities({ driver: {} as Driver, env: loadEnv({ KGTUNE_HOME: home, KGTUNE_ARTIFACTS: path.join(home, 'artifacts') }, home) });
  it("tenant A cannot ingest tenant B's uploads, directly or through a symlink", async () => {
    await expect(acts().listCorpusPage({ tenant: 'tenant-a', source: path.join(uploads, 'tenant-b', 'docs') })).rejects.toThrow(/not in tenant tenant-a's own/);
    await expect(acts().listCorpus({ tenant: 'tenant-a', source: path.join(home, 'elsewhere', 'link-to-b') })).rejects.toThrow(/not in tenant tenant-a's own/);
    expect((await acts().listCorpusPage({ tenant: 'tenant-b', source: path.join(uploads, 'tenant-b', 'docs') })).files).toEqual(['secret.txt']);
    expect((await acts().listCorpusPage({ tenant: 'tenant-a', source: path.join(home, 'elsewhere') })).files).toEqual(['a.txt']);
  });
  it('checkSource resolves symlinks before deciding', async () => {
    expect(await checkSource('tenant-a', path.join(home, 'elsewhere', 'link-to-b'), { uploadsRoot: uploads, roots: [] })).toMatch(/tenant-b/);
  });
});
