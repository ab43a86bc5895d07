// Isolated stacks for `npm test` and the fault suite: their own KGTUNE_HOME and ports, never the user's stack.
// A new home is seeded from the user's `.kgtune` caches (binaries and jars symlinked, the base text and the
// tiny base copied) so nothing is downloaded or pretrained twice; without them it provisions its own.
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * The test stack (integration and e2e tests): `.kgtune-test`, Temporal on base+233 (Web UI base+1233), Neo4j Bolt on
 * base+687, base = KGTUNE_TEST_PORT_BASE (default 37000) so two checkouts can test at once with different bases.
 */
export function testStackEnv(source = process.env) {
  const base = Number(source.KGTUNE_TEST_PORT_BASE ?? 37000);
  if (!Number.isInteger(base) || base < 1024 || base > 63000) throw new Error(`KGTUNE_TEST_PORT_BASE must be an integer in 1024..63000 (got ${source.KGTUNE_TEST_PORT_BASE})`);
  return {
    KGTUNE_HOME: '.kgtune-test',
    TEMPORAL_PORT: String(base + 233),
    TEMPORAL_UI_PORT: String(base + 1233),
    NEO4J_BOLT_PORT: String(base + 687),
  };
}

/** Overwrites (never inherits) the variables that choose ports and home; artifacts follow the isolated home. */
export function applyIsolatedEnv(vars, target = process.env) {
  for (const [k, v] of Object.entries(vars)) target[k] = v;
  delete target.KGTUNE_ARTIFACTS;
  return target;
}

/**
 * Seeds `<root>/<home>` from `<root>/.kgtune`: cached downloads and immutable models are symlinked (read-only use),
 * the base-text cache and the tiny base are copied (the isolated run may rewrite them). Returns what was seeded.
 */
export function seedHome(root, home) {
  const from = path.join(root, '.kgtune');
  const to = path.resolve(root, home);
  const seeded = [];
  mkdirSync(path.join(to, 'cache'), { recursive: true });
  mkdirSync(path.join(to, 'models'), { recursive: true });
  const cache = path.join(from, 'cache');
  if (existsSync(cache) && path.resolve(from) !== to) {
    for (const name of readdirSync(cache)) {
      const src = path.join(cache, name);
      const dst = path.join(to, 'cache', name);
      if (existsSync(dst)) continue;
      if (name === 'base-text') cpSync(src, dst, { recursive: true });
      else symlinkSync(path.relative(path.dirname(dst), src), dst);
      seeded.push(`cache/${name}`);
    }
  }
  const models = path.join(from, 'models');
  if (existsSync(models) && path.resolve(from) !== to) {
    for (const name of readdirSync(models)) {
      const dst = path.join(to, 'models', name);
      if (existsSync(dst)) continue;
      const src = path.join(models, name);
      // The tiny base folder may be rewritten by a run: copied. Anything else (content-addressed, immutable): linked.
      if (name === 'tiny-base') cpSync(src, dst, { recursive: true, filter: (s) => !s.includes(`${path.sep}checkpoints`) });
      else symlinkSync(path.relative(path.dirname(dst), src), dst);
      seeded.push(`models/${name}`);
    }
  }
  return seeded;
}
