import { isInt, type Driver, type Integer } from 'neo4j-driver';

/** Sessions are opened and closed by graph/session.ts, the one place for that. */
export { readTx, writeTx } from '../graph/index.js';

/** Neo4j integers (when the driver is not in number mode) to JS numbers; null stays null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (isInt(v)) return (v as Integer).toNumber();
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** Runs idempotent schema statements (`CREATE … IF NOT EXISTS`) one by one. */
export async function runSchema(driver: Driver, statements: readonly string[]): Promise<void> {
  const session = driver.session();
  try {
    for (const q of statements) await session.run(q);
  } finally {
    await session.close();
  }
}
