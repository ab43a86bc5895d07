import type { Driver } from 'neo4j-driver';
import { write } from './session.js';
import { AWAIT_INDEXES, CONSTRAINTS, INDEXES } from './queries/schema.js';

/**
 * Creates every constraint and index graph/ relies on, once, up front, idempotently
 * (IF NOT EXISTS), then waits until the indexes are online.
 */
export async function ensureSchema(driver: Driver): Promise<{ statements: number }> {
  for (const q of [...CONSTRAINTS, ...INDEXES]) {
    // Schema commands cannot share a transaction with other statements: one each.
    await write(driver, (tx) => tx.run(q));
  }
  const session = driver.session();
  try {
    await session.executeRead((tx) => tx.run(AWAIT_INDEXES));
  } finally {
    await session.close();
  }
  return { statements: CONSTRAINTS.length + INDEXES.length };
}
