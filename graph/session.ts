/** Session helpers for every Neo4j caller (graph/, registry/, api/): executeRead/executeWrite, session closed in finally. */
import neo4j from 'neo4j-driver';
import type { Driver, ManagedTransaction } from 'neo4j-driver';

/** Rows per UNWIND: bounded so one transaction never holds an unbounded batch. */
export const BATCH = 1000;

export function batches<T>(rows: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** One managed transaction in its own session, closed whatever happens (executeRead/executeWrite retry transient errors). */
async function inSession<T>(driver: Driver, mode: 'READ' | 'WRITE', fn: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session({ defaultAccessMode: neo4j.session[mode] });
  try {
    return await (mode === 'WRITE' ? session.executeWrite(fn) : session.executeRead(fn));
  } finally {
    await session.close();
  }
}

export const write = <T>(driver: Driver, fn: (tx: ManagedTransaction) => Promise<T>): Promise<T> => inSession(driver, 'WRITE', fn);
export const read = <T>(driver: Driver, fn: (tx: ManagedTransaction) => Promise<T>): Promise<T> => inSession(driver, 'READ', fn);

/** Neo4j integers (and anything nested) to plain JSON values. */
export function plain(v: unknown): unknown {
  if (neo4j.isInt(v)) return (v as { toNumber(): number }).toNumber();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return String(v);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

export const num = (v: unknown): number => plain(v) as number;

/** JSON with sorted keys: equal content, equal text. */
export function stableJson(v: unknown): string {
  const p = plain(v);
  if (Array.isArray(p)) return `[${p.map(stableJson).join(',')}]`;
  if (p && typeof p === 'object') {
    return `{${Object.keys(p).sort().map((k) => `${JSON.stringify(k)}:${stableJson((p as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(p) ?? 'null';
}
