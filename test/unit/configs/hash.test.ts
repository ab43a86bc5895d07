import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File, sha256Hex } from '../../../configs/hash.js';
import { canonicalJson, fnv1a32, fnv1a64Hex } from '../../../configs/pure/hash.js';

describe('the one canonical JSON, FNV-1a and SHA-256', () => {
  it('sorts keys at every depth, keeps array order, drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([null, 'é', 1.5])).toBe('[null,"é",1.5]');
  });

  it('FNV-1a matches the published test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('xfoobarx', 1, 7)).toBe(0xbf9cf968);
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });

  it('SHA-256 of text and of a file agree', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256Hex('abc')).toBe(abc);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'kgtune-hash-')), 'abc.txt');
    await writeFile(file, 'abc');
    expect(await sha256File(file)).toBe(abc);
  });
});
