/**
 * Entity resolution: names with the same normalized key (width, case, 繁/简, punctuation) are one
 * entity; names the corpus links (以下简称, parenthetical English names) are merged. Every merge
 * keeps the alias and records its rule and evidence.
 */
import type { EntityMerge, EntityRecord } from '../model.js';
import { entityId } from '../internal/ids.js';
import { nameKey } from '../internal/normalize.js';

export type MergeRule = 'abbreviation' | 'parenthetical' | 'parenthetical-short' | 'short-name' | 'normalized-form';

interface Node {
  parent: string;
  surfaces: Map<string, number>;
  types: Map<string, number>;
  chunks: Set<string>;
  fullScore: number;
}

interface Link { a: string; b: string; rule: MergeRule; evidence?: EntityMerge['evidence'] }

/** A stored entity's type outweighs a few new votes (it summarizes earlier batches). */
const STORED_TYPE_WEIGHT = 5;

const TYPE_ORDER = ['Organization', 'Product', 'Person', 'Location', 'Certification', 'Part', 'Concept'];

export class Resolver {
  private readonly nodes = new Map<string, Node>();
  private readonly links: Link[] = [];
  /** Entities stored by earlier batches, by the key of their name: they keep their id, name and merges. */
  private readonly pins = new Map<string, EntityRecord>();
  private resolved?: Map<string, EntityRecord>;

  constructor(private readonly tenant: string) {}

  private node(key: string): Node {
    let n = this.nodes.get(key);
    if (!n) {
      n = { parent: key, surfaces: new Map(), types: new Map(), chunks: new Set(), fullScore: 0 };
      this.nodes.set(key, n);
    }
    return n;
  }

  private find(key: string): string {
    let k = key;
    while (this.node(k).parent !== k) k = this.node(k).parent;
    this.node(key).parent = k;
    return k;
  }

  /** Records one mention of a name (with an optional type vote). */
  observe(text: string, type?: string, weight = 1, chunkId?: string): void {
    const key = nameKey(text);
    if (!key) return;
    this.resolved = undefined;
    const n = this.node(key);
    const surface = text.trim();
    n.surfaces.set(surface, (n.surfaces.get(surface) ?? 0) + 1);
    if (type && weight > 0) n.types.set(type, (n.types.get(type) ?? 0) + weight);
    if (chunkId) n.chunks.add(chunkId);
  }

  /** The corpus states that `short` names the same entity as `full`. */
  link(full: string, short: string, rule: MergeRule, evidence?: EntityMerge['evidence'], type?: string): void {
    this.observe(full, type, 1);
    this.observe(short, type, 1);
    this.node(nameKey(full)).fullScore++;
    const a = this.find(nameKey(full));
    const b = this.find(nameKey(short));
    this.links.push({ a: nameKey(full), b: nameKey(short), rule, evidence });
    if (a !== b) this.node(b).parent = a;
  }

  /**
   * An entity an earlier batch stored: its names resolve to it (a short name defined in batch 1 by
   * 以下简称 is the same entity in batch 2), and a cluster containing it keeps its id and name.
   */
  seed(e: EntityRecord): void {
    const key = nameKey(e.name);
    if (!key) return;
    this.observe(e.name, e.type, STORED_TYPE_WEIGHT);
    for (const a of e.aliases) {
      if (!nameKey(a)) continue;
      this.observe(a);
      const ra = this.find(key);
      const rb = this.find(nameKey(a));
      if (ra !== rb) this.node(rb).parent = ra;
    }
    this.pins.set(key, e);
    this.resolved = undefined;
  }

  private build(): Map<string, EntityRecord> {
    const clusters = new Map<string, string[]>();
    for (const key of this.nodes.keys()) {
      const root = this.find(key);
      clusters.set(root, [...(clusters.get(root) ?? []), key]);
    }
    const byKey = new Map<string, EntityRecord>();
    for (const keys of clusters.values()) {
      const surfaces = new Map<string, number>();
      const types = new Map<string, number>();
      const chunks = new Set<string>();
      let canonicalKey = keys[0]!;
      for (const k of keys) {
        const n = this.node(k);
        for (const [s, c] of n.surfaces) surfaces.set(s, (surfaces.get(s) ?? 0) + c);
        for (const [t, w] of n.types) types.set(t, (types.get(t) ?? 0) + w);
        n.chunks.forEach((c) => chunks.add(c));
        const best = this.node(canonicalKey);
        const score = (x: Node) => x.fullScore * 1000 + [...x.surfaces.values()].reduce((a, b) => a + b, 0);
        if (score(n) > score(best) || (score(n) === score(best) && k.length > canonicalKey.length)) canonicalKey = k;
      }
      // A stored entity in the cluster keeps its id and name (the lowest id if the corpus now links two).
      const pin = keys.map((k) => this.pins.get(k)).filter((e): e is EntityRecord => !!e).sort((a, b) => a.id.localeCompare(b.id))[0];
      if (pin) canonicalKey = nameKey(pin.name);
      const canon = pin ? pin.name : [...this.node(canonicalKey).surfaces.entries()].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0]))[0]![0];
      const type = [...types.entries()].sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]))[0]?.[0] ?? 'Concept';
      const aliases = [...surfaces.keys()].filter((s) => s !== canon).sort();
      const merges: EntityMerge[] = [...(pin?.merges ?? [])];
      for (const l of this.links) {
        if (!keys.includes(l.a)) continue;
        const alias = l.a === canonicalKey ? l.b : l.a;
        for (const s of aliases.filter((x) => nameKey(x) === alias)) merges.push({ rule: l.rule, alias: s, evidence: l.evidence });
      }
      for (const s of aliases) if (nameKey(s) === canonicalKey) merges.push({ rule: 'normalized-form', alias: s });
      const rec: EntityRecord = { id: pin ? pin.id : entityId(this.tenant, canonicalKey), name: canon, type, aliases, merges: dedupMerges(merges), mentions: [...chunks].sort() };
      for (const k of keys) byKey.set(k, rec);
    }
    return byKey;
  }

  /** The resolved entity for any of its names. */
  entityFor(text: string): EntityRecord | undefined {
    this.resolved ??= this.build();
    return this.resolved.get(nameKey(text));
  }

  entities(): EntityRecord[] {
    this.resolved ??= this.build();
    return [...new Map([...this.resolved.values()].map((e) => [e.id, e])).values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}

const rank = (t: string): number => (TYPE_ORDER.indexOf(t) + 100) % 100;

/** One merge per (rule, alias), in a stable order: re-running a batch over stored merges changes nothing. */
function dedupMerges(ms: EntityMerge[]): EntityMerge[] {
  const seen = new Set<string>();
  return ms.filter((m) => {
    const k = `${m.rule}\u0000${m.alias}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => a.alias.localeCompare(b.alias) || a.rule.localeCompare(b.rule));
}
