import type { SnapshotData } from '../../../graph/model.js';

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const INVERSE: Record<string, string> = { PART_OF: 'HAS_PART', HAS_PART: 'PART_OF' };

/**
 * An independent oracle over the fixture: does the snapshot state (subject, predicate, object)
 * under any name of the object, directly or through the inverse relation?
 */
export function truthOracle(snapshot: SnapshotData): (subjectId: string, predicate: string, object: { id?: string; text: string }) => boolean {
  const names = new Map(snapshot.entities.map((e) => [e.id, [e.name, ...e.aliases].map(norm)]));
  const triples: { s: string; p: string; oId?: string; oNames: string[] }[] = [];
  for (const f of snapshot.facts) {
    triples.push({ s: f.subjectId, p: f.predicate, oId: f.objectId, oNames: f.objectId ? (names.get(f.objectId) ?? [norm(f.object)]) : [norm(f.object)] });
    const inv = INVERSE[f.predicate];
    if (inv && f.objectId) triples.push({ s: f.objectId, p: inv, oId: f.subjectId, oNames: names.get(f.subjectId) ?? [norm(f.subject)] });
  }
  return (subjectId, predicate, object) => {
    const candidateNames = object.id ? (names.get(object.id) ?? [norm(object.text)]) : [norm(object.text)];
    return triples.some(
      (t) => t.s === subjectId && t.p === predicate && ((object.id !== undefined && t.oId === object.id) || t.oNames.some((n) => candidateNames.includes(n) || n === norm(object.text))),
    );
  };
}

export function allNames(snapshot: SnapshotData): string[] {
  return [...new Set(snapshot.entities.flatMap((e) => [e.name, ...e.aliases]).map(norm))];
}

export { norm };
