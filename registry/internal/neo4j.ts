import { int, isInt } from 'neo4j-driver';
import type { Integer, RecordShape } from 'neo4j-driver';

/** Neo4j integers in, JS numbers out: versions and sizes are far below 2^53. */
export function toNum(v: unknown): number {
  if (isInt(v)) return (v as Integer).toNumber();
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`expected a number from Neo4j, got ${typeof v}`);
}

export function toNumOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : toNum(v);
}

export { int };

/** Converts Neo4j integers anywhere in a returned value (maps from `a {.*}`) to numbers. */
export function plain(v: unknown): unknown {
  if (isInt(v)) return (v as Integer).toNumber();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Sessions are opened and closed by graph/session.ts, the one place for that. */
export { readTx as withRead, writeTx as withWrite } from '../../graph/index.js';

export type Row = RecordShape;
