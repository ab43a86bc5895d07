import type { Driver } from 'neo4j-driver';
import type { KgtuneEnv } from '../configs/env.js';
import { connectNeo4j } from '../client/index.js';
import { UsageError } from './errors.js';

/**
 * Runs one key-administration command (tenants, operators) against Neo4j: connects, makes sure the key store's
 * schema exists, turns the store's own refusals (bad name, unknown key) into usage errors, and closes the driver.
 */
export async function withKeyStore(
  env: KgtuneEnv,
  store: { ensureSchema: (driver: Driver) => Promise<void>; refusal: new (...args: never[]) => Error },
  run: (driver: Driver) => Promise<number>,
): Promise<number> {
  const driver = await connectNeo4j(env);
  try {
    await store.ensureSchema(driver);
    return await run(driver);
  } catch (e) {
    if (e instanceof store.refusal) throw new UsageError(e.message);
    throw e;
  } finally {
    await driver.close();
  }
}
