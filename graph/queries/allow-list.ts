/**
 * The only labels and relationship types graph/ Cypher may use. Queries interpolate these
 * constants at module load; values are always $parameters. Relation names from industry packs
 * are stored as the `predicate` property of a Fact, never as a relationship type.
 */
export const LABEL = {
  Corpus: 'Corpus',
  Document: 'Document',
  Chunk: 'Chunk',
  Entity: 'Entity',
  Fact: 'Fact',
  GraphSnapshot: 'GraphSnapshot',
  Dataset: 'Dataset',
  TrainingRun: 'TrainingRun',
  Adapter: 'Adapter',
  Evaluation: 'Evaluation',
} as const;
export type Label = keyof typeof LABEL;

export const REL = {
  IN_CORPUS: 'IN_CORPUS',
  HAS_CHUNK: 'HAS_CHUNK',
  DUPLICATE_OF: 'DUPLICATE_OF',
  MENTIONS: 'MENTIONS',
  SUBJECT: 'SUBJECT',
  OBJECT: 'OBJECT',
  EVIDENCE: 'EVIDENCE',
  CONTAINS: 'CONTAINS',
  PINS: 'PINS',
  FROM_SNAPSHOT: 'FROM_SNAPSHOT',
  USES_FACT: 'USES_FACT',
  USED: 'USED',
  PRODUCED_BY: 'PRODUCED_BY',
  OF: 'OF',
} as const;
export type Rel = keyof typeof REL;

/** Property that identifies a node of each label (with `tenant`). */
export const KEY: Record<Label, 'id' | 'sha256'> = {
  Corpus: 'id', Document: 'sha256', Chunk: 'id', Entity: 'id', Fact: 'id', GraphSnapshot: 'id',
  Dataset: 'id', TrainingRun: 'id', Adapter: 'id', Evaluation: 'id',
};

export function assertLabel(x: string): Label {
  if (!Object.hasOwn(LABEL, x)) throw new Error(`label not in the allow-list: ${JSON.stringify(x)}`);
  return x as Label;
}
