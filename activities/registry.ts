import type { Driver } from 'neo4j-driver';
import { adapterGatesPassed, artifactStoreFromEnv, registerRun, rollback, setAlias } from '../registry/index.js';
import type {
  GatesPassedInput, GatesPassedResult, RegisterActivityInput, RegisterActivityResult, RollbackAliasActivityInput, SetAliasActivityInput,
} from '../registry/contract.js';
import type { KgtuneEnv } from '../configs/env.js';
import { classified } from './errors.js';

export function createRegistryActivities(deps: { driver: Driver; env: KgtuneEnv }) {
  const { driver, env } = deps;
  // Local folder by default; S3-compatible when KGTUNE_S3_* is set (see registry/artifact-store.ts).
  const store = artifactStoreFromEnv(env);
  return {
    /** Artifacts into the content-addressed store, metadata + lineage into Neo4j (registry/register-run.ts). Idempotent by weights sha256. */
    async register(input: RegisterActivityInput): Promise<RegisterActivityResult> {
      return classified(() => registerRun(driver, store, input));
    },
    async setAlias(input: SetAliasActivityInput): Promise<{ previous: number | null }> {
      return classified(async () => {
        const r = await setAlias(driver, input);
        return { previous: r.previous ?? null };
      });
    },
    async rollbackAlias(input: RollbackAliasActivityInput): Promise<{ version: number | null }> {
      return classified(async () => {
        const r = await rollback(driver, input);
        return { version: r.version ?? null };
      });
    },
    async adapterGatesPassed(input: GatesPassedInput): Promise<GatesPassedResult> {
      return classified(() => adapterGatesPassed(driver, input));
    },
  };
}
