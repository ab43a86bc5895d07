import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { GraphSchemaError } from './errors.js';
import { read, write } from './session.js';
import { KEY, LABEL, REL } from './queries/allow-list.js';
import type { Label, Rel } from './queries/allow-list.js';
import {
  AWAIT_INDEXES, CONSTRAINT_BY_LABEL, constraintName, copyIncoming, copyOutgoing, duplicateGroups, FOREIGN_RELATIONSHIPS, INDEXES,
  MERGE_PROPERTIES_AND_DELETE, SHOW_CONSTRAINT_NAMES,
} from './queries/schema.js';

/** The command that creates the schema (and repairs duplicates first); named in every schema error. */
export const SCHEMA_FIX_COMMAND = './kgtune services migrate';

export interface MergedGroup { label: Label; tenant: string; key: string; merged: number }
export interface SchemaReport {
  /** Constraints and indexes ensured. */
  statements: number;
  /** Constraints that did not exist before this call. */
  created: string[];
  /** Duplicate groups merged before their constraint could be created. */
  repaired: MergedGroup[];
}

const GROUPS_PER_READ = 500;
const RELS = Object.keys(REL) as Rel[];

/**
 * Creates every constraint and index graph/ relies on, idempotently, then waits until the indexes are
 * online. Called when the stack comes up and when a worker starts (before it polls), never inside a stage,
 * so no activity writes before the uniqueness constraints exist.
 *
 * A database written before its constraints existed may hold duplicates (two `Corpus {tenant, id}` nodes
 * made by concurrent MERGEs): those are merged first — every relationship and every property is kept on
 * one node — so the constraint can be created. Safe to run again and from several processes at once.
 */
export async function ensureSchema(driver: Driver, log: (line: string) => void = () => {}): Promise<SchemaReport> {
  const existing = new Set(await read(driver, async (tx) => (await tx.run(SHOW_CONSTRAINT_NAMES)).records[0]?.get('names') as string[] ?? []));
  const created: string[] = [];
  const repaired: MergedGroup[] = [];
  for (const label of Object.keys(LABEL) as Label[]) {
    const name = constraintName(label);
    if (existing.has(name)) continue;
    const merged = await mergeDuplicates(driver, label);
    for (const g of merged) log(`graph schema: merged ${g.merged + 1} ${label} nodes (tenant "${g.tenant}", ${KEY[label]} "${g.key}") into one`);
    repaired.push(...merged);
    try {
      await write(driver, (tx) => tx.run(CONSTRAINT_BY_LABEL[label]));
    } catch (err) {
      const left = await duplicateSample(driver, label);
      const why = left ? `duplicate ${label} nodes remain (tenant "${left.tenant}", ${KEY[label]} "${left.key}", ${left.count} nodes)` : firstLine(err);
      throw new GraphSchemaError(`graph schema: cannot create constraint ${name}: ${why} — run \`${SCHEMA_FIX_COMMAND}\``);
    }
    created.push(name);
  }
  for (const q of INDEXES) {
    // Schema commands cannot share a transaction with other statements: one each.
    await write(driver, (tx) => tx.run(q));
  }
  await read(driver, (tx) => tx.run(AWAIT_INDEXES));
  return { statements: Object.keys(LABEL).length + INDEXES.length, created, repaired };
}

/** Merges every group of same-(tenant, key) nodes of a label into its first node (elementId order). */
async function mergeDuplicates(driver: Driver, label: Label): Promise<MergedGroup[]> {
  const merged: MergedGroup[] = [];
  for (;;) {
    const groups = await read(driver, async (tx) => (await tx.run(duplicateGroups(label), { limit: neo4j.int(GROUPS_PER_READ) })).records.map((r) => ({
      tenant: String(r.get('tenant')), key: String(r.get('key')), ids: r.get('ids') as string[],
    })));
    if (groups.length === 0) return merged;
    for (const g of groups) {
      const [keep, ...dups] = g.ids as [string, ...string[]];
      for (const dup of dups) {
        // One transaction per duplicate: its relationships are copied and it is deleted together, or not at all.
        await write(driver, async (tx) => {
          const foreign = (await tx.run(FOREIGN_RELATIONSHIPS, { tenant: g.tenant, dup, allowed: Object.values(REL) })).records[0]?.get('types') as string[] ?? [];
          if (foreign.length) {
            throw new GraphSchemaError(`graph schema: duplicate ${label} nodes (tenant "${g.tenant}", ${KEY[label]} "${g.key}") cannot be merged: relationship types ${foreign.join(', ')} are not kgtune's — remove them, then run \`${SCHEMA_FIX_COMMAND}\``);
          }
          for (const r of RELS) {
            await tx.run(copyOutgoing(r), { tenant: g.tenant, keep, dup, group: g.ids });
            await tx.run(copyIncoming(r), { tenant: g.tenant, keep, dup, group: g.ids });
          }
          await tx.run(MERGE_PROPERTIES_AND_DELETE, { tenant: g.tenant, keep, dup });
        });
      }
      merged.push({ label, tenant: g.tenant, key: g.key, merged: dups.length });
    }
  }
}

async function duplicateSample(driver: Driver, label: Label): Promise<{ tenant: string; key: string; count: number } | undefined> {
  const r = await read(driver, async (tx) => (await tx.run(duplicateGroups(label), { limit: neo4j.int(1) })).records[0]);
  return r ? { tenant: String(r.get('tenant')), key: String(r.get('key')), count: (r.get('ids') as string[]).length } : undefined;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
