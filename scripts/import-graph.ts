// The folder import graph of the repository, drawn from the code: folder → folder arrows with counts, circles
// between folders, arrows from a lower layer to a higher one, imports into a stage that bypass its index.ts, and
// line counts. `npm run imports` prints it; test/unit/scripts/import-graph.test.ts holds the line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Layer of each product folder, lowest first. Arrows may only point to the same layer or lower. */
export const LAYERS: readonly (readonly string[])[] = [
  // configs/pure and the stages' contract.ts files are lint-held pure (zod only; a contract imports only
  // configs/pure and other contracts): the floor everything stands on, drawn as their own folders
  ['configs/pure'],
  ['contracts'],
  ['configs'],
  ['graph', 'ingest', 'synthesis', 'training', 'evaluation', 'registry'],
  // services provisions the stack (Temporal dev server, Neo4j schema): infrastructure beside the activities
  ['activities', 'services'],
  ['workflows'],
  ['client'],
  ['cli', 'api'],
];
/** Folders outside the layering: they may import anything and nothing product imports them. */
export const OUTSIDE = ['bench', 'scripts', 'test', '.'] as const;
export const STAGES = LAYERS[3] as readonly string[];
/** Folders of one layer that must never import each other: the CLI and the API are both presentation over client/. */
export const APART: readonly (readonly [string, string])[] = [['cli', 'api']];

/**
 * The public faces of a stage: its index.ts; its contract.ts (pure, so workflows may import it); and the index.ts
 * of a sub-folder that loads on its own where the stage's index would load too much (training/bases: the base
 * catalogue without tfjs; training/export: loaded on demand; graph/extract: extraction without the Neo4j driver).
 */
export function isPublicFace(file: string): boolean {
  const parts = file.split('/');
  if (!STAGES.includes(parts[0]!)) return false;
  if (parts.length === 2) return parts[1] === 'index.ts' || parts[1] === 'contract.ts';
  return parts.length === 3 && parts[2] === 'index.ts' && parts[1] !== 'internal';
}

const SOURCE = /\.(ts|mts|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'fixtures', 'out']);

export interface ImportEdge {
  readonly from: string; // file, repository-relative, posix
  readonly to: string; // file, repository-relative, posix
  readonly typeOnly: boolean;
}

export interface ImportGraph {
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
  /** "from → to" folder arrows with the number of import statements */
  readonly folderArrows: ReadonlyMap<string, number>;
  /** circles between product folders (each a sorted list of folders) */
  readonly cycles: readonly (readonly string[])[];
  /** folder arrows pointing from a lower layer to a higher one, "from → to" */
  readonly upward: readonly string[];
  /** folder arrows between folders kept apart (APART), "from → to" */
  readonly apart: readonly string[];
  /** imports from outside a stage folder into it that do not go through one of its public faces (isPublicFace) */
  readonly indexBypass: readonly ImportEdge[];
  /** imports into a folder's internal/ from outside that folder */
  readonly internalReach: readonly ImportEdge[];
  /** imports into a stage folder from outside it (the denominator of indexBypass) */
  readonly stageImports: number;
  readonly lines: ReadonlyMap<string, number>;
}

function listSources(root: string, dir = root, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) listSources(root, full, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts')) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

export function folderOf(file: string): string {
  if (file.startsWith('configs/pure/')) return 'configs/pure';
  if (/^[^/]+\/contract\.ts$/.test(file) && STAGES.includes(file.slice(0, file.indexOf('/')))) return 'contracts';
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

function layerOf(folder: string): number | undefined {
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  return index < 0 ? undefined : index;
}

/** Relative specifiers in one file, with whether each is type-only. */
function specifiers(text: string, file: string): { spec: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const found: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly
        || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      found.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push({ spec: arg.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((f) => f.spec.startsWith('.'));
}

function resolveSpecifier(known: Set<string>, from: string, spec: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const stem = base.replace(/\.(js|mjs|ts|mts)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.mts`, `${stem}.mjs`, `${base}/index.ts`]) {
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/** Folder-level circles (strongly connected components of two or more folders). */
function folderCycles(arrows: Iterable<string>): string[][] {
  const next = new Map<string, Set<string>>();
  for (const arrow of arrows) {
    const [from, to] = arrow.split(' → ') as [string, string];
    if (!next.has(from)) next.set(from, new Set());
    if (!next.has(to)) next.set(to, new Set());
    next.get(from)!.add(to);
  }
  // Tarjan
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);
  return components.sort((a, b) => a.join().localeCompare(b.join()));
}

export function analyzeImports(root: string): ImportGraph {
  const files = listSources(root).sort();
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  const lines = new Map<string, number>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const folder = folderOf(file);
    lines.set(folder, (lines.get(folder) ?? 0) + text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
    for (const { spec, typeOnly } of specifiers(text, file)) {
      const to = resolveSpecifier(known, file, spec);
      if (to !== undefined) edges.push({ from: file, to, typeOnly });
    }
  }
  const folderArrows = new Map<string, number>();
  const upward = new Set<string>();
  const apart = new Set<string>();
  const indexBypass: ImportEdge[] = [];
  const internalReach: ImportEdge[] = [];
  let stageImports = 0;
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to) continue;
    const arrow = `${from} → ${to}`;
    folderArrows.set(arrow, (folderArrows.get(arrow) ?? 0) + 1);
    const fromLayer = layerOf(from);
    const toLayer = layerOf(to);
    if (fromLayer !== undefined && toLayer !== undefined && toLayer > fromLayer) upward.add(arrow);
    if (toLayer === undefined && !(OUTSIDE as readonly string[]).includes(from)) upward.add(arrow); // product → bench/scripts/test
    if (APART.some(([a, b]) => (from === a && to === b) || (from === b && to === a))) apart.add(arrow);
    if (STAGES.includes(to)) {
      stageImports += 1;
      if (!isPublicFace(edge.to)) indexBypass.push(edge);
    }
    if (edge.to.split('/').includes('internal')) internalReach.push(edge);
  }
  const productArrows = [...folderArrows.keys()].filter((arrow) => {
    const [from, to] = arrow.split(' → ') as [string, string];
    return layerOf(from) !== undefined && layerOf(to) !== undefined;
  });
  return {
    files, edges, folderArrows, cycles: folderCycles(productArrows), upward: [...upward].sort(), apart: [...apart].sort(), indexBypass,
    internalReach, stageImports, lines,
  };
}

function report(graph: ImportGraph): string {
  const out: string[] = [];
  const order = [...LAYERS.flat(), ...OUTSIDE];
  const rank = (folder: string): number => { const i = order.indexOf(folder); return i < 0 ? order.length : i; };
  out.push('Folder import graph (import statements across folders; layers low → high: '
    + `${LAYERS.map((layer) => layer.join('/')).join(' < ')}; outside: ${OUTSIDE.join(', ')})`);
  const byFrom = new Map<string, string[]>();
  for (const [arrow, count] of graph.folderArrows) {
    const [from, to] = arrow.split(' → ') as [string, string];
    byFrom.set(from, [...(byFrom.get(from) ?? []), `${to} ${count}`]);
  }
  for (const from of [...byFrom.keys()].sort((a, b) => rank(a) - rank(b))) {
    const targets = byFrom.get(from)!.sort((a, b) => rank(a.split(' ')[0]!) - rank(b.split(' ')[0]!));
    out.push(`  ${from.padEnd(11)} → ${targets.join(', ')}`);
  }
  out.push(`Cycles between folders: ${graph.cycles.length === 0 ? 'none' : graph.cycles.map((c) => c.join(' ⇄ ')).join('; ')}`);
  out.push(`Upward arrows (lower layer → higher): ${graph.upward.length === 0 ? 'none' : ''}`);
  for (const arrow of graph.upward) {
    const samples = graph.edges.filter((e) => `${folderOf(e.from)} → ${folderOf(e.to)}` === arrow);
    out.push(`  ${arrow} (${samples.length}): ${samples.map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`).join(', ')}`);
  }
  out.push(`Arrows between folders kept apart (${APART.map((pair) => pair.join(' ↔ ')).join(', ')}): ${graph.apart.length === 0 ? 'none' : graph.apart.join(', ')}`);
  const bypassBy = new Map<string, number>();
  for (const edge of graph.indexBypass) bypassBy.set(folderOf(edge.from), (bypassBy.get(folderOf(edge.from)) ?? 0) + 1);
  const product = (e: ImportEdge): boolean => !(OUTSIDE as readonly string[]).includes(folderOf(e.from));
  const productInto = graph.edges.filter((e) => product(e) && folderOf(e.from) !== folderOf(e.to) && STAGES.includes(folderOf(e.to)));
  out.push(`Imports into a stage bypassing its public faces (index.ts, contract.ts, a sub-folder's index.ts): product folders ${graph.indexBypass.filter(product).length} of ${productInto.length};`
    + ` all ${graph.indexBypass.length} of ${graph.stageImports} (by importer: ${[...bypassBy].sort((a, b) => rank(a[0]) - rank(b[0])).map(([f, n]) => `${f} ${n}`).join(', ')})`);
  for (const edge of graph.indexBypass.filter((e) => folderOf(e.from) !== 'test')) out.push(`  ${edge.from} → ${edge.to}${edge.typeOnly ? ' (type)' : ''}`);
  out.push(`Imports into another folder's internal/: ${graph.internalReach.length}`
    + `${graph.internalReach.length ? `: ${graph.internalReach.map((e) => `${e.from} → ${e.to}`).join(', ')}` : ''}`);
  const total = [...graph.lines.values()].reduce((a, b) => a + b, 0);
  out.push(`Lines (${graph.files.length} files, ${total} lines): ${[...graph.lines].sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([folder, n]) => `${folder} ${n}`).join(', ')}`);
  return out.join('\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  console.log(report(analyzeImports(root)));
}
