// Isolated stacks for `npm test` and the fault suite: their own KGTUNE_HOME and ports, never the user's stack.
// A new home is seeded from the user's `.kgtune` caches (binaries and jars symlinked, the base text and the
// tiny base copied) so nothing is downloaded or pretrained twice; without them it provisions its own.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
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
 * Seeds `<root>/<home>` from `<root>/.kgtune`: cached downloads and stored bases are symlinked (read-only use),
 * the base-text cache and the base ids are copied (the isolated run may rewrite them). Returns what was seeded.
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
  // The base catalogue (training/bases/): a stored base is content-addressed and never rewritten, so its folder is
  // linked; the id files are copied (the isolated run may point an id at a base of its own).
  const bases = path.join(from, 'models', 'bases');
  const ids = path.join(bases, 'ids');
  if (existsSync(ids) && path.resolve(from) !== to) {
    mkdirSync(path.join(to, 'models', 'bases', 'ids'), { recursive: true });
    for (const name of readdirSync(ids).filter((n) => n.endsWith('.json'))) {
      const { sha256 } = JSON.parse(readFileSync(path.join(ids, name), 'utf8'));
      const src = path.join(bases, sha256);
      const dst = path.join(to, 'models', 'bases', sha256);
      if (typeof sha256 !== 'string' || !existsSync(src) || existsSync(path.join(to, 'models', 'bases', 'ids', name))) continue;
      if (!existsSync(dst)) symlinkSync(path.relative(path.dirname(dst), src), dst);
      cpSync(path.join(ids, name), path.join(to, 'models', 'bases', 'ids', name));
      seeded.push(`models/bases/${sha256.slice(0, 12)} (${name.slice(0, -5)})`);
    }
  }
  return seeded;
}
