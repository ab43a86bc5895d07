import { isInt, type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';

export async function readTx<T>(driver: Driver, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session();
  try {
    return await session.executeRead(work);
  } finally {
    await session.close();
  }
}

export async function writeTx<T>(driver: Driver, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session();
  try {
    return await session.executeWrite(work);
  } finally {
    await session.close();
  }
}

/** Neo4j integers (when the driver is not in number mode) to JS numbers; null stays null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (isInt(v)) return (v as Integer).toNumber();
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}
