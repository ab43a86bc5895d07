import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeImports } from '../../../scripts/import-graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('environment', () => {
  it('is read only in configs/env.ts (product, bench and TypeScript scripts; the .mjs test drivers run before tsx)', () => {
    const readers = analyzeImports(ROOT).files
      .filter((f) => f.endsWith('.ts') && !f.startsWith('test/') && f !== 'configs/env.ts')
      .filter((f) => /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(readers).toEqual([]);
  });
});
