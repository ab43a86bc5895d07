import { proxyActivities } from '@temporalio/workflow';
import type { RegistryActivities } from '../activities/index.js';
import { REGISTRY } from './options.js';

const { register, setAlias } = proxyActivities<RegistryActivities>(REGISTRY);

export type RegisterInput = Parameters<RegistryActivities['register']>[0];
export type RegisterResult = Awaited<ReturnType<RegistryActivities['register']>>;

/** Registers the adapter (idempotent by its sha256) and points `candidate` at it. */
export async function registerAdapter(input: RegisterInput): Promise<RegisterResult> {
  const r = await register(input);
  await setAlias({ tenant: input.tenant, domain: input.domain, alias: 'candidate', version: r.version, actor: 'pipeline', reason: `registered by run ${input.runId}` });
  return r;
}
