/**
 * Properties that kgtune stores as JSON text on a node (a fact's evidence, an entity's merges, a run's losses, an
 * evaluation's gates, an adapter's reports …), read back through the writer's zod schema, never cast: a malformed
 * one is one permanent line naming the node and the property, not a crash further on.
 */
import type { z } from 'zod';
import { issuesLine } from '../configs/pure/errors.js';
import { StoredPropertyError } from './errors.js';

/**
 * `value` (the property as the driver returns it) parsed as JSON through `schema`. Absent (null/undefined): `absent`
 * when given, else an error. `node` names the node for the message: `Fact f-12ab…`, `AdapterVersion acme/legal v3`.
 */
export function jsonProperty<S extends z.ZodType>(schema: S, value: unknown, node: string, property: string, absent?: z.input<S>): z.infer<S> {
  const bad = (why: string) => new StoredPropertyError(`stored ${node}: property '${property}' ${why}`);
  if (value === null || value === undefined) {
    if (absent === undefined) throw bad('is missing');
    return schema.parse(absent);
  }
  if (typeof value !== 'string') throw bad(`is a ${typeof value}, not JSON text`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw bad(`is not valid JSON (${(e as Error).message})`);
  }
  const r = schema.safeParse(parsed);
  if (!r.success) throw bad(`does not match its schema — ${issuesLine(r.error.issues, '(value)')}`);
  return r.data;
}
