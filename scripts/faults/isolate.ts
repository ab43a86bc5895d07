/**
 * The fault suite runs its own stack, never the one on the default ports: this module sets the isolated
 * environment (before anything calls loadEnv()) and seeds KGTUNE_HOME from the developer's `.kgtune`
 * caches so nothing is downloaded or pretrained again.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
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
 * cache and the tiny base model are copied (the suite may rewrite them). Returns what was seeded.
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
  const base = path.join(from, 'models', 'tiny-base');
  const baseDst = path.join(to, 'models', 'tiny-base');
  if (existsSync(base) && !existsSync(baseDst)) {
    cpSync(base, baseDst, { recursive: true, filter: (s) => !s.includes(`${path.sep}checkpoints`) });
    seeded.push('models/tiny-base');
  }
  return seeded;
}
