import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { z } from 'zod';
import { ADAPTER_BY_VERSION, ALIAS_EVENTS, ALIAS_HOLDER, jsonProperty, LOCK_EXISTING_DOMAIN, MOVE_ALIAS } from '../graph/index.js';
import { GateResultSchema } from '../evaluation/index.js';
import { toAliasEvent } from './catalog.js';
import { RegistryError } from './errors.js';
import { RollbackInput, SetAliasInput } from './model.js';
import type { Alias, AliasEvent } from './model.js';
import { int, toNum, withRead, withWrite } from './internal/neo4j.js';
import { sha256Hex } from '../configs/hash.js';

export interface AliasMove {
  alias: Alias;
  /** The version the alias pointed at before; null if it was unset. */
  previous: number | null;
  version: number;
  /** false when the alias already pointed at this version (nothing recorded). */
  changed: boolean;
}

/**
 * The version a rollback returns to. The history is replayed as a stack: a `set` pushes its
 * version, a `rollback` pops one; the answer is the entry below the top. So rolling back twice
 * after v1 → v2 → v3 lands on v1, not back on v3.
 */
export function previousVersion(events: ReadonlyArray<Pick<AliasEvent, 'kind' | 'toVersion'>>): number | null {
  const stack: number[] = [];
  for (const e of events) {
    if (e.kind === 'rollback') stack.pop();
    else stack.push(e.toVersion);
  }
  return stack.length >= 2 ? stack[stack.length - 2]! : null;
}

/** Takes the domain's write lock; returns the sequence number the next alias event gets. */
async function lockDomain(tx: ManagedTransaction, tenant: string, domain: string): Promise<number> {
  const res = await tx.run(LOCK_EXISTING_DOMAIN, { tenant, domain });
  const rec = res.records[0];
  if (rec === undefined) throw new RegistryError('DomainNotFound', `no adapters registered for ${tenant}/${domain}`);
  return toNum(rec.get('aliasSeq')) + 1;
}

async function holder(tx: ManagedTransaction, tenant: string, domain: string, alias: Alias): Promise<number | null> {
  const res = await tx.run(ALIAS_HOLDER, { tenant, domain, alias });
  return res.records.length === 0 ? null : toNum(res.records[0]!.get('version'));
}

async function move(
  tx: ManagedTransaction,
  m: { tenant: string; domain: string; alias: Alias; from: number | null; to: number; kind: 'set' | 'rollback'; actor: string; reason: string; seq: number },
): Promise<void> {
  const eventId = `alias-${sha256Hex(`${m.tenant}\u0000${m.domain}\u0000${m.alias}\u0000${m.seq}`).slice(0, 32)}`;
  const res = await tx.run(MOVE_ALIAS, {
    tenant: m.tenant,
    domain: m.domain,
    alias: m.alias,
    toVersion: int(m.to),
    fromVersion: m.from === null ? null : int(m.from),
    kind: m.kind,
    actor: m.actor,
    reason: m.reason,
    eventId,
  });
  if (res.records.length !== 1) throw new RegistryError('AdapterNotFound', `no adapter ${m.tenant}/${m.domain} v${m.to}`);
}

/**
 * Points `alias` at `version` (one version per alias per domain) and records who, when, why,
 * from and to as an AliasEvent. Setting an alias to the version it already has changes nothing.
 */
export async function setAlias(driver: Driver, raw: SetAliasInput): Promise<AliasMove> {
  const i = SetAliasInput.parse(raw);
  return withWrite(driver, async (tx) => {
    const seq = await lockDomain(tx, i.tenant, i.domain);
    const target = await tx.run(ADAPTER_BY_VERSION, { tenant: i.tenant, domain: i.domain, version: int(i.version) });
    const rec = target.records[0];
    if (rec === undefined) throw new RegistryError('AdapterNotFound', `no adapter ${i.tenant}/${i.domain} v${i.version}`);
    if (i.requireGatesPassed && rec.get('passed') !== true) {
      throw new RegistryError('GatesNotPassed', `${i.tenant}/${i.domain} v${i.version}: gates did not pass (${failedGates(rec.get('gates'), `Evaluation of AdapterVersion ${i.tenant}/${i.domain} v${i.version}`).join('; ') || 'no evaluation'})`);
    }
    const from = await holder(tx, i.tenant, i.domain, i.alias);
    if (from === i.version) return { alias: i.alias, previous: from, version: i.version, changed: false };
    await move(tx, { tenant: i.tenant, domain: i.domain, alias: i.alias, from, to: i.version, kind: 'set', actor: i.actor, reason: i.reason, seq });
    return { alias: i.alias, previous: from, version: i.version, changed: true };
  });
}

/** Moves `alias` back to the version it held before the current one (see previousVersion). */
export async function rollback(driver: Driver, raw: RollbackInput): Promise<AliasMove> {
  const i = RollbackInput.parse(raw);
  return withWrite(driver, async (tx) => {
    const seq = await lockDomain(tx, i.tenant, i.domain);
    const current = await holder(tx, i.tenant, i.domain, i.alias);
    if (current === null) throw new RegistryError('AliasNotSet', `${i.tenant}/${i.domain}: alias ${i.alias} is not set`);
    const events = (await tx.run(ALIAS_EVENTS, { tenant: i.tenant, domain: i.domain, alias: i.alias })).records.map(toAliasEvent);
    const to = previousVersion(events);
    if (to === null) throw new RegistryError('NoPreviousVersion', `${i.tenant}/${i.domain}: alias ${i.alias} has no earlier version to roll back to`);
    await move(tx, { tenant: i.tenant, domain: i.domain, alias: i.alias, from: current, to, kind: 'rollback', actor: i.actor, reason: i.reason, seq });
    return { alias: i.alias, previous: current, version: to, changed: true };
  });
}

/** Every move of one alias (or all aliases) in a domain, oldest first. */
export async function aliasHistory(driver: Driver, q: { tenant: string; domain: string; alias?: Alias }): Promise<AliasEvent[]> {
  const res = await withRead(driver, (tx) => tx.run(ALIAS_EVENTS, { tenant: q.tenant, domain: q.domain, alias: q.alias ?? null }));
  return res.records.map(toAliasEvent);
}

function failedGates(gatesJson: unknown, node: string): string[] {
  return jsonProperty(z.array(GateResultSchema), gatesJson, node, 'gates', [])
    .filter((g) => g.verdict !== 'pass')
    .map((g) => `${g.name} ${g.value === null ? 'not measured' : Number(g.value.toFixed(4))} ${g.comparator === '>=' ? '<' : g.comparator === '<=' ? '>' : '≠'} ${g.threshold}`);
}

/** Whether a version's gates passed, with one reason per failed gate (for the promotion workflow). */
export async function adapterGatesPassed(driver: Driver, q: { tenant: string; domain: string; version: number }): Promise<{ passed: boolean; reasons: string[] }> {
  const res = await withRead(driver, (tx) => tx.run(ADAPTER_BY_VERSION, { tenant: q.tenant, domain: q.domain, version: int(q.version) }));
  const rec = res.records[0];
  if (rec === undefined) throw new RegistryError('AdapterNotFound', `no adapter ${q.tenant}/${q.domain} v${q.version}`);
  if (rec.get('passed') === null) return { passed: false, reasons: ['no evaluation stored'] };
  const passed = rec.get('passed') === true;
  return { passed, reasons: passed ? [] : failedGates(rec.get('gates'), `Evaluation of AdapterVersion ${q.tenant}/${q.domain} v${q.version}`) };
}
