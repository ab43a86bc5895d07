/**
 * The fault suite runs its own stack, never the one on the default ports: this module sets the isolated
 * environment (before anything calls loadEnv()) and seeds KGTUNE_HOME from the developer's `.kgtune`
 * caches so nothing is downloaded or pretrained again.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';

export const ISOLATED_ENV = {
  KGTUNE_HOME: '.kgtune-faults',
  TEMPORAL_PORT: '17233',
  TEMPORAL_UI_PORT: '18233',
  NEO4J_BOLT_PORT: '17687',
} as const;

/** Overwrites (never inherits) the variables that choose ports and home: the suite must not touch the default stack. */
export function isolateEnv(): void {
  for (const [k, v] of Object.entries(ISOLATED_ENV)) process.env[k] = v;
  // Artifacts follow KGTUNE_HOME unless this points elsewhere: make sure it does not point into the default home.
  delete process.env.KGTUNE_ARTIFACTS;
}

/**
 * Seeds `<root>/.kgtune-faults` from `<root>/.kgtune`: binaries and jars are symlinked (read-only use), the base-text
 * cache and the catalogue's tiny bases are copied (the suite may rewrite them). Returns what was seeded.
 */
export function seedHome(root: string): string[] {
  const from = path.join(root, '.kgtune');
  const to = path.join(root, ISOLATED_ENV.KGTUNE_HOME);
  const seeded: string[] = [];
  mkdirSync(path.join(to, 'cache'), { recursive: true });
  mkdirSync(path.join(to, 'models'), { recursive: true });
  const cache = path.join(from, 'cache');
  if (existsSync(cache)) {
    for (const name of readdirSync(cache)) {
      const src = path.join(cache, name);
      const dst = path.join(to, 'cache', name);
      if (existsSync(dst)) continue;
      if (name === 'base-text') cpSync(src, dst, { recursive: true });
      else symlinkSync(path.relative(path.dirname(dst), src), dst);
      seeded.push(`cache/${name}`);
    }
  }
  // tiny bases of the catalogue (content-addressed: a copy of a stored folder and the id pointing at it)
  const ids = path.join(from, 'models', 'bases', 'ids');
  for (const name of existsSync(ids) ? readdirSync(ids).filter((n) => /^tiny.*\.json$/.test(n)) : []) {
    const { sha256 } = JSON.parse(readFileSync(path.join(ids, name), 'utf8')) as { sha256: string };
    const src = path.join(from, 'models', 'bases', sha256);
    const dst = path.join(to, 'models', 'bases', sha256);
    if (!existsSync(src)) continue;
    if (!existsSync(dst)) cpSync(src, dst, { recursive: true });
    mkdirSync(path.join(to, 'models', 'bases', 'ids'), { recursive: true });
    if (!existsSync(path.join(to, 'models', 'bases', 'ids', name))) cpSync(path.join(ids, name), path.join(to, 'models', 'bases', 'ids', name));
    seeded.push(`models/bases/${sha256.slice(0, 12)} (${name.slice(0, -5)})`);
  }
  return seeded;
}
