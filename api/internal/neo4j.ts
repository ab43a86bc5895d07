import { isInt, type Integer } from 'neo4j-driver';

/** Sessions are opened and closed by graph/session.ts, the one place for that. */
export { read as readTx, write as writeTx } from '../../graph/session.js';

/** Neo4j integers (when the driver is not in number mode) to JS numbers; null stays null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (isInt(v)) return (v as Integer).toNumber();
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}
